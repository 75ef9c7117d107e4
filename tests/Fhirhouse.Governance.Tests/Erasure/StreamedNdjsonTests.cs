using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Fhirhouse.Lake.Erasure;

namespace Fhirhouse.Governance.Tests.Erasure;

public sealed class StreamedNdjsonTests
{
    private static string Observation(int i, string patient, int noteBytes = 10) =>
        $$"""{"resourceType":"Observation","id":"o{{i}}","subject":{"reference":"Patient/{{patient}}"},"note":[{"text":"{{new string('x', noteBytes)}}"}]}""";

    private static async Task<(StreamedNdjson.Outcome Outcome, byte[] Output)> StripAsync(byte[] stored, PatientMatcher matcher)
    {
        using var output = new MemoryStream();
        var outcome = await StreamedNdjson.StripAsync(_ => Task.FromResult<Stream>(new MemoryStream(stored)), output, matcher, CancellationToken.None);
        return (outcome, output.ToArray());
    }

    private static byte[] Gzip(byte[] plain)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(plain);
        }

        return output.ToArray();
    }

    private static byte[] Gunzip(byte[] compressed)
    {
        using var input = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(3, false)]
    [InlineData(4, true)]
    public async Task Streaming_gives_the_in_memory_strip_byte_for_byte_with_its_hash_length_and_emptied_lines(int seed, bool gzip)
    {
        // Lines of the patient and of others, blank lines, CRLF, a line longer than the reader's 1 MiB chunk, with and
        // without a final newline.
        var random = new Random(seed);
        var lines = new List<string>();
        for (var i = 0; i < 400; i++)
        {
            lines.Add(random.Next(10) switch
            {
                0 => "",
                1 => Observation(i, "p1") + "\r",
                2 or 3 => Observation(i, "p1"),
                _ => Observation(i, "p" + random.Next(2, 9)),
            });
        }

        lines.Insert(random.Next(lines.Count), Observation(9999, "p1", noteBytes: 2_500_000));
        lines.Insert(random.Next(lines.Count), Observation(9998, "p2", noteBytes: 1_600_000));
        var text = string.Join('\n', lines) + (seed % 2 == 0 ? "\n" : "");
        var plain = Encoding.UTF8.GetBytes(text);
        var stored = gzip ? Gzip(plain) : plain;
        var matcher = new PatientMatcher("p1", []);

        var expected = PayloadText.Strip(stored, singleDocument: false, matcher, out var expectedLines, out var expectedRemoved, out var expectedEmpty);
        var (outcome, output) = await StripAsync(stored, matcher);

        Assert.NotNull(expected);
        Assert.True(outcome.Changed);
        Assert.Equal(expectedEmpty, outcome.Empty);
        Assert.Equal(expectedRemoved, outcome.Removed);
        Assert.Equal(expectedLines, outcome.EmptiedLines);
        Assert.Equal(gzip ? Gunzip(expected) : expected, gzip ? Gunzip(output) : output);
        Assert.Equal(output.Length, outcome.Length);
        Assert.Equal(SHA256.HashData(output), outcome.Sha256);

        // The content address is learnt from a first pass: a second pass writes exactly the same bytes.
        var (again, second) = await StripAsync(stored, matcher);
        Assert.Equal(output, second);
        Assert.Equal(outcome.Sha256, again.Sha256);
    }

    [Fact]
    public async Task Nothing_of_the_patient_leaves_the_content_unchanged_and_all_of_theirs_leaves_it_empty()
    {
        var others = Encoding.UTF8.GetBytes(Observation(1, "p2") + "\n" + Observation(2, "p3") + "\n");
        var (untouched, _) = await StripAsync(others, new PatientMatcher("p1", []));
        Assert.False(untouched.Changed);
        Assert.False(untouched.Empty);

        var theirs = Encoding.UTF8.GetBytes(Observation(1, "p1") + "\n\n" + Observation(2, "p1"));
        var (emptied, output) = await StripAsync(theirs, new PatientMatcher("p1", []));
        Assert.True(emptied.Changed);
        Assert.True(emptied.Empty);
        Assert.Equal([1L, 3L], emptied.EmptiedLines);
        Assert.Equal("\n\n", Encoding.UTF8.GetString(output));
    }
}
