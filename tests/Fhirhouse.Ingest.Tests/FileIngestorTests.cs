using System.Text;
using System.Text.Json;
using Fhirhouse.Lake.Bronze;
using Fhirhouse.Ingest.Files;
using Fhirhouse.Lake.Landing;
using Fhirhouse.Ingest.Validation;
using Fhirhouse.Storage;
using Fhirhouse.Storage.Local;
using Fhirhouse.Synthetic;
using Fhirhouse.Testing;

namespace Fhirhouse.Ingest.Tests;

public sealed class FileIngestorTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Lake => Path.Combine(_folder.Path, "lake");

    private string Input(string name, string content)
    {
        var path = Path.Combine(_folder.Path, "in", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    private static async Task<IngestSummary> Ingest(IObjectStore store, IEnumerable<string> paths, IngestOptions? options = null)
    {
        var ingestor = await PayloadIngestor.OpenAsync(store, options ?? new IngestOptions());
        return await new FileIngestor(ingestor).IngestAsync(FileIngestor.Resolve(paths));
    }

    [Fact]
    public async Task A_generated_hospital_lands_whole_in_bronze_and_a_second_run_adds_nothing()
    {
        var source = Path.Combine(_folder.Path, "hospital");
        var generated = new HospitalGenerator(new HospitalOptions { Patients = 25, Seed = 2 }).Generate(source);
        var files = generated.Files.Select(f => Path.Combine(source, f)).ToList();
        var store = new LocalObjectStore(Lake);

        var first = await Ingest(store, files);
        Assert.Equal(generated.Resources, first.Resources);
        Assert.Equal(0, first.Quarantined);

        var ingestor = await PayloadIngestor.OpenAsync(store, new IngestOptions());
        var versionBefore = (await ingestor.Bronze.Table.GetSnapshotAsync()).Version;
        var rows = await ingestor.Bronze.ReadAllAsync().ToListAsync();
        Assert.Equal(generated.Resources, rows.Count);
        Assert.All(rows.Where(r => r.ResourceType is "Observation" or "Encounter" or "Condition" or "DocumentReference"), r => Assert.NotNull(r.PatientId));
        Assert.Equal(generated.ResourcesByType["Patient"], rows.Count(r => r.ResourceType == "Patient" && r.PatientId == r.Id));
        Assert.Equal(files.Count, (await ingestor.Manifest.ReadAllAsync()).Count);

        var second = await Ingest(store, files);
        Assert.Equal(files.Count, second.AlreadyIngested);
        Assert.Equal(0, second.Resources);
        Assert.Equal(versionBefore, (await ingestor.Bronze.Table.GetSnapshotAsync()).Version);
    }

    [Fact]
    public async Task Bad_lines_go_to_quarantine_with_reason_and_location_and_nothing_is_lost()
    {
        var path = Input("mixed.ndjson", string.Join("\n",
            """{"resourceType":"Patient","id":"p1"}""",
            """{"resourceType":"Patient","id":"p2","name":[""",
            "",
            """{"resourceType":"Observation","status":"final"}""",
            """{"resourceType":"Spaceship","id":"s1"}""",
            """["not","an","object"]""",
            """{"resourceType":"Observation","id":"o1","status":"final","code":{"text":"x"},"subject":{"reference":"Patient/p1"}}""") + "\n");
        var store = new LocalObjectStore(Lake);
        var summary = await Ingest(store, [path]);
        Assert.Equal(2, summary.Resources);
        Assert.Equal(4, summary.Quarantined);

        var ingestor = await PayloadIngestor.OpenAsync(store, new IngestOptions());
        var quarantine = (await ingestor.Quarantine.ReadAllAsync()).OrderBy(q => q.RawLine).ToList();
        Assert.Equal([2L, 4L, 5L, 6L], quarantine.Select(q => q.RawLine));
        Assert.Contains("not valid JSON", quarantine[0].Reason, StringComparison.Ordinal);
        Assert.Equal("Observation has no id", quarantine[1].Reason);
        Assert.Contains("unknown resourceType 'Spaceship'", quarantine[2].Reason, StringComparison.Ordinal);
        Assert.Contains("expected a JSON object", quarantine[3].Reason, StringComparison.Ordinal);
        Assert.Equal($"{path}, line 4", quarantine[1].Location);
        Assert.All(quarantine, q => Assert.StartsWith("raw/payloads/", q.RawKey, StringComparison.Ordinal));

        // The raw payload is kept as received: the quarantined line can be read back from it.
        await using var raw = await ingestor.Raw.OpenAsync(quarantine[1].RawKey);
        var lines = new StreamReader(raw).ReadToEnd().Split('\n');
        Assert.Equal("""{"resourceType":"Observation","status":"final"}""", lines[3]);
    }

    private string InputBytes(string name, byte[] content)
    {
        var path = Path.Combine(_folder.Path, "in", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task Lines_and_bundle_entries_with_invalid_utf8_are_quarantined_with_the_offset_and_the_rest_lands()
    {
        byte[] badName = [.. Utf8("""{"resourceType":"Patient","id":"p2","name":[{"family":"Du"""), 0xC3, 0x28, .. Utf8("""nt"}]}""")];
        byte[] bundle =
        [
            .. Utf8("""{"resourceType":"Bundle","type":"transaction","entry":[{"resource":{"resourceType":"Patient","id":"b1"},"request":{"method":"PUT","url":"Patient/b1"}},{"resource":{"resourceType":"Patient","id":"b2","name":[{"given":["A"""),
            0xF0, 0x9F,
            .. Utf8("\"]}]},\"request\":{\"method\":\"PUT\",\"url\":\"Patient/b2\"}}]}"),
        ];
        byte[] content =
        [
            .. Utf8("""{"resourceType":"Patient","id":"p1"}""" + "\n"), .. badName, (byte)'\n', .. bundle, (byte)'\n',
            .. Utf8("""{"resourceType":"Patient","id":"p4"}""" + "\n"),
        ];
        var path = InputBytes("mixed.ndjson", content);
        var store = new LocalObjectStore(Lake);

        var summary = await Ingest(store, [path], new IngestOptions { Validation = ValidationLevel.None });

        Assert.Equal(3, summary.Resources);
        Assert.Equal(2, summary.Quarantined);
        var ingestor = await PayloadIngestor.OpenAsync(store, new IngestOptions());
        Assert.Equal(["Patient/b1", "Patient/p1", "Patient/p4"], (await ingestor.Bronze.ReadCurrentAsync()).Keys.Order(StringComparer.Ordinal));
        var quarantine = (await ingestor.Quarantine.ReadAllAsync()).OrderBy(q => q.RawLine).ToList();
        Assert.Equal(
            [
                (2L, $"{path}, line 2", $"invalid UTF-8 at byte offset {Array.IndexOf(badName, (byte)0xC3)}"),
                (3L, $"{path}, line 3, entry 1", $"invalid UTF-8 at byte offset {Array.IndexOf(bundle, (byte)0xF0)} of the Bundle"),
            ],
            quarantine.Select(q => (q.RawLine, q.Location, q.Reason)));

        // The raw payload is every byte as received, the refused ones with it.
        await using var raw = await ingestor.Raw.OpenAsync(quarantine[0].RawKey);
        using var copy = new MemoryStream();
        await raw.CopyToAsync(copy);
        Assert.Equal(content, copy.ToArray());
    }

    [Fact]
    public async Task A_line_over_the_size_limit_is_quarantined_with_its_length_and_the_file_goes_on()
    {
        var big = $$"""{"resourceType":"Patient","id":"big","name":[{"family":"{{new string('x', 700)}}"}]}""";
        var path = Input("big.ndjson", string.Join("\n",
            """{"resourceType":"Patient","id":"p1"}""", big, """{"resourceType":"Patient","id":"p3"}""", big, """{"resourceType":"Patient","id":"p5"}""") + "\n");
        var store = new LocalObjectStore(Lake);

        var summary = await Ingest(store, [path], new IngestOptions { MaxLineBytes = 500, ChunkSize = 2 });

        Assert.Equal(3, summary.Resources);
        Assert.Equal(2, summary.Quarantined);
        var ingestor = await PayloadIngestor.OpenAsync(store, new IngestOptions());
        Assert.Equal(["Patient/p1", "Patient/p3", "Patient/p5"], (await ingestor.Bronze.ReadCurrentAsync()).Keys.Order(StringComparer.Ordinal));
        var quarantine = (await ingestor.Quarantine.ReadAllAsync()).OrderBy(q => q.RawLine).ToList();
        Assert.Equal([2L, 4L], quarantine.Select(q => q.RawLine));
        Assert.All(quarantine, q => Assert.Equal($"the line is {big.Length} bytes, over the limit of 500 bytes (the raw payload keeps it)", q.Reason));
        Assert.Equal($"{path}, line 4", quarantine[1].Location);
        await using var raw = await ingestor.Raw.OpenAsync(quarantine[0].RawKey);
        Assert.Equal(big, new StreamReader(raw).ReadToEnd().Split('\n')[1]);
    }

    [Fact]
    public void A_line_limit_under_one_byte_is_refused_naming_the_setting()
    {
        var e = Assert.Throws<ArgumentException>(() => new IngestOptions { MaxLineBytes = 0 }.Validate());
        Assert.Contains("longest line", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_transaction_bundle_lands_with_urn_uuid_references_rewritten_and_its_deletes_marked()
    {
        var path = Input("tx.json", """
            {"resourceType":"Bundle","type":"transaction","timestamp":"2025-01-02T03:04:05Z","entry":[
              {"fullUrl":"urn:uuid:6f0c1c2e-0000-4000-8000-000000000001","resource":{"resourceType":"Patient","id":"p9"},"request":{"method":"PUT","url":"Patient/p9"}},
              {"fullUrl":"urn:uuid:6f0c1c2e-0000-4000-8000-000000000002","resource":{"resourceType":"Encounter","id":"e9","status":"finished","class":{"code":"AMB"},"subject":{"reference":"urn:uuid:6f0c1c2e-0000-4000-8000-000000000001"}},"request":{"method":"POST","url":"Encounter"}},
              {"request":{"method":"DELETE","url":"Observation/gone"}}
            ]}
            """);
        var store = new LocalObjectStore(Lake);
        var summary = await Ingest(store, [path]);
        Assert.Equal(3, summary.Resources);
        Assert.Equal(1, summary.Deleted);
        var ingestor = await PayloadIngestor.OpenAsync(store, new IngestOptions());
        var current = await ingestor.Bronze.ReadCurrentAsync();
        using var encounter = JsonDocument.Parse(current["Encounter/e9"].Resource!);
        Assert.Equal("Patient/p9", encounter.RootElement.GetProperty("subject").GetProperty("reference").GetString());
        Assert.Equal("p9", current["Encounter/e9"].PatientId);
        Assert.True(current["Observation/gone"].Deleted);
        Assert.Null(current["Observation/gone"].Resource);
        Assert.Equal(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero), current["Observation/gone"].LastUpdated);
    }

    [Fact]
    public async Task The_current_version_is_the_latest_by_last_updated_then_version_id()
    {
        var v1 = Input("a.ndjson", """{"resourceType":"Patient","id":"p","meta":{"versionId":"1","lastUpdated":"2024-01-01T00:00:00Z"},"gender":"male"}""" + "\n");
        var v3 = Input("b.ndjson", """{"resourceType":"Patient","id":"p","meta":{"versionId":"10","lastUpdated":"2024-06-01T00:00:00Z"},"gender":"female"}""" + "\n");
        var v2 = Input("c.ndjson", """{"resourceType":"Patient","id":"p","meta":{"versionId":"9","lastUpdated":"2024-06-01T00:00:00Z"},"gender":"other"}""" + "\n");
        var store = new LocalObjectStore(Lake);
        await Ingest(store, [v3, v1, v2]);
        var ingestor = await PayloadIngestor.OpenAsync(store, new IngestOptions());
        Assert.Equal(3, await ingestor.Bronze.ReadAllAsync().CountAsync());
        Assert.Equal("10", (await ingestor.Bronze.ReadCurrentAsync())["Patient/p"].VersionId);
    }

    [Fact]
    public async Task A_run_that_crashes_midway_completes_on_the_next_run_without_duplicates()
    {
        var source = Path.Combine(_folder.Path, "hospital");
        var generated = new HospitalGenerator(new HospitalOptions { Patients = 15, Seed = 4 }).Generate(source);
        var files = generated.Files.Select(f => Path.Combine(source, f)).ToList();
        var options = new IngestOptions { ChunkSize = 100 };
        var local = new LocalObjectStore(Lake);
        for (var crashAfter = 8; ; crashAfter += 23)
        {
            try
            {
                await Ingest(new FaultyStore(local, crashAfter), files, options);
                break;
            }
            catch (IOException e) when (e.Message == "injected crash")
            {
                // The process "died": the next iteration runs again on what the lake holds.
            }
        }

        var ingestor = await PayloadIngestor.OpenAsync(local, options);
        var rows = await ingestor.Bronze.ReadAllAsync().ToListAsync();
        Assert.Equal(generated.Resources, rows.Count);
        Assert.Equal(rows.Count, rows.Select(r => (r.ResourceType, r.Id)).Distinct().Count());
        Assert.Equal(files.Count, (await ingestor.Manifest.ReadAllAsync()).Count);
    }

    [Fact]
    public async Task Full_validation_quarantines_what_breaks_an_R4_invariant_and_structure_lets_it_through()
    {
        var path = Input("obs.ndjson", """{"resourceType":"Observation","id":"bad","status":"final","code":{"text":"x"},"valueQuantity":{"value":1},"dataAbsentReason":{"text":"none"}}""" + "\n");
        var validator = new FirelyResourceValidator(Path.Combine(AppContext.BaseDirectory, "specification.zip"), Path.Combine(Path.GetTempPath(), "fhirhouse-firely-cache"));
        var full = await Ingest(new LocalObjectStore(Path.Combine(_folder.Path, "full")), [path], new IngestOptions { Validation = ValidationLevel.Full, FullValidator = validator });
        Assert.Equal(1, full.Quarantined);
        var structure = await Ingest(new LocalObjectStore(Path.Combine(_folder.Path, "structure")), [path]);
        Assert.Equal(1, structure.Resources);
        var quarantine = await (await PayloadIngestor.OpenAsync(new LocalObjectStore(Path.Combine(_folder.Path, "full")), new IngestOptions())).Quarantine.ReadAllAsync();
        Assert.Contains("obs-6", quarantine[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_paths_and_unknown_kinds_of_file_are_refused_by_name()
    {
        var e = Assert.Throws<FileNotFoundException>(() => FileIngestor.Resolve([Path.Combine(_folder.Path, "nope.ndjson")]));
        Assert.Contains("nope.ndjson", e.Message, StringComparison.Ordinal);
        var csv = Input("data.csv", "a,b\n");
        Assert.Contains("unknown kind of file", Assert.Throws<ArgumentException>(() => FileIngestor.Resolve([csv])).Message, StringComparison.Ordinal);
        var gz = Path.Combine(_folder.Path, "in", "x.ndjson.gz");
        await File.WriteAllBytesAsync(gz, []);
        Assert.Equal(PayloadFormat.Ndjson, FileIngestor.Resolve([Path.Combine(_folder.Path, "in")]).Single(f => f.Path.EndsWith(".gz", StringComparison.Ordinal)).Format);
    }

    [Fact]
    public async Task Gzip_ndjson_lands_like_plain_ndjson()
    {
        var path = Path.Combine(_folder.Path, "in", "Patient.000.ndjson.gz");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using (var gzip = new System.IO.Compression.GZipStream(File.Create(path), System.IO.Compression.CompressionLevel.Fastest))
        {
            await gzip.WriteAsync(Encoding.UTF8.GetBytes("{\"resourceType\":\"Patient\",\"id\":\"z1\"}\n{\"resourceType\":\"Patient\",\"id\":\"z2\"}\n"));
        }

        var summary = await Ingest(new LocalObjectStore(Lake), [path]);
        Assert.Equal(2, summary.Resources);
    }

    [Fact]
    public void Bronze_orders_versions_by_time_then_numeric_version_then_arrival()
    {
        var t = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        BronzeRow Row(string? version, DateTimeOffset? updated, int arrival) => new("Patient", "p", version, updated, false, "p", "files", "k", 1, null, t.AddSeconds(arrival), "{}");
        Assert.True(BronzeTable.IsNewer(Row("2", t.AddDays(1), 0), Row("9", t, 1)));
        Assert.True(BronzeTable.IsNewer(Row("10", t, 0), Row("9", t, 1)));
        Assert.True(BronzeTable.IsNewer(Row("1", t, 2), Row("1", t, 1)));
        Assert.False(BronzeTable.IsNewer(Row(null, null, 5), Row("1", t, 1)));
    }
}
