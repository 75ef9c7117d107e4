using System.IO.Compression;
using System.Text;
using Fhirhouse.Fhir.Ndjson;
using Fhirhouse.Testing;

namespace Fhirhouse.Fhir.Tests.Ndjson;

public sealed class NdjsonReaderTests
{
    private static async Task<List<(long Line, string Text)>> ReadAll(Stream stream, int maxLineBytes = NdjsonReader.DefaultMaxLineBytes)
    {
        var result = new List<(long, string)>();
        await foreach (var line in NdjsonReader.ReadAsync(stream, maxLineBytes))
        {
            result.Add((line.LineNumber, Encoding.UTF8.GetString(line.Json.Span)));
        }

        return result;
    }

    [Fact]
    public async Task Skips_blank_lines_but_counts_them_and_accepts_crlf_a_bom_and_a_last_line_without_newline()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("{\"a\":1}\r\n\n  \n{\"b\":\"é\"}\n{\"c\":3}")).ToArray();
        var lines = await ReadAll(new MemoryStream(bytes));
        Assert.Equal([(1L, "{\"a\":1}"), (4L, "{\"b\":\"é\"}"), (5L, "{\"c\":3}")], lines);
    }

    [Fact]
    public async Task Lines_longer_than_the_buffer_are_read_whole_and_lines_beyond_the_limit_are_refused()
    {
        var longLine = "{\"x\":\"" + new string('a', 300_000) + "\"}";
        var lines = await ReadAll(new MemoryStream(Encoding.UTF8.GetBytes("{}\n" + longLine + "\n{}\n")));
        Assert.Equal(longLine, lines[1].Text);
        Assert.Equal(3, lines.Count);
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAll(new MemoryStream(Encoding.UTF8.GetBytes("{}\n" + longLine)), maxLineBytes: 1 << 17));
        Assert.Contains("line 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Passing_oversized_lines_gives_each_with_its_length_and_no_bytes_and_reads_on()
    {
        var longLine = "{\"x\":\"" + new string('a', 300_000) + "\"}";
        var justFits = "{\"y\":\"" + new string('b', 992) + "\"}";
        var text = "{}\n" + longLine + "\r\n" + justFits + "\r\n" + new string('c', 1001) + "\n\n{\"z\":1}\n" + longLine;
        var lines = new List<(long Line, string Text, long Oversized)>();
        await foreach (var line in NdjsonReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)), maxLineBytes: 1000, passOversizedLines: true))
        {
            lines.Add((line.LineNumber, Encoding.UTF8.GetString(line.Json.Span), line.OversizedLength));
            Assert.Equal(line.OversizedLength > 0, line.IsOversized);
        }

        Assert.Equal(1000, justFits.Length);
        Assert.Equal(
            [(1L, "{}", 0L), (2L, "", longLine.Length), (3L, justFits, 0L), (4L, "", 1001L), (6L, "{\"z\":1}", 0L), (7L, "", longLine.Length)],
            lines);
    }

    [Fact]
    public async Task Gzip_files_are_recognised_by_their_magic_bytes()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "Patient.000.ndjson.gz");
        await using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest))
        {
            await gzip.WriteAsync(Encoding.UTF8.GetBytes("{\"resourceType\":\"Patient\",\"id\":\"1\"}\n{\"resourceType\":\"Patient\",\"id\":\"2\"}\n"));
        }

        await using var stream = NdjsonReader.OpenFile(path);
        Assert.Equal(2, (await ReadAll(stream)).Count);
    }
}
