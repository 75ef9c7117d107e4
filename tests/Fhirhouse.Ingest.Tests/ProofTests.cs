using Fhirhouse.Ingest.Files;
using Fhirhouse.Lake.Landing;
using Fhirhouse.Storage.Local;
using Fhirhouse.Synthetic;
using Fhirhouse.Testing;

namespace Fhirhouse.Ingest.Tests;

/// <summary>Issue 5's proof on real and generated data: exact counts per type, idempotent re-ingest, a corrupted copy.</summary>
public sealed class ProofTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static Dictionary<string, long> LinesPerType(IEnumerable<string> files) =>
        files.GroupBy(f => Path.GetFileName(f).Split('.')[0])
            .ToDictionary(g => g.Key, g => g.Sum(f => (long)File.ReadLines(f).Count(l => l.Trim().Length > 0)), StringComparer.Ordinal);

    private static async Task<Dictionary<string, long>> BronzeCountsAsync(PayloadIngestor ingestor) =>
        (await ingestor.Bronze.ReadAllAsync().ToListAsync()).GroupBy(r => r.ResourceType).ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);

    [Fact]
    public async Task The_real_bulk_export_and_a_generated_hundred_patient_hospital_land_with_exact_counts_per_type()
    {
        var bulk = Directory.GetFiles(RepoPaths.TestData("fhir", "bulk-10-patients"), "*.000.ndjson");
        var hospital = Path.Combine(_folder.Path, "hospital");
        var generated = new HospitalGenerator(new HospitalOptions { Patients = 100, Seed = 9 }).Generate(hospital);
        var files = bulk.Concat(generated.Files.Select(f => Path.Combine(hospital, f))).ToList();
        var store = new LocalObjectStore(Path.Combine(_folder.Path, "lake"));
        var ingestor = await PayloadIngestor.OpenAsync(store, new IngestOptions());

        var summary = await new FileIngestor(ingestor).IngestAsync(FileIngestor.Resolve(files));
        Assert.Equal(0, summary.Quarantined);
        Assert.Equal(LinesPerType(files), await BronzeCountsAsync(ingestor));

        var again = await new FileIngestor(ingestor).IngestAsync(FileIngestor.Resolve(files));
        Assert.Equal(files.Count, again.AlreadyIngested);
        Assert.Equal(LinesPerType(files), await BronzeCountsAsync(ingestor));
    }

    [Fact]
    public async Task A_corrupted_copy_lands_every_good_line_and_quarantines_each_bad_one_with_its_reason()
    {
        var source = RepoPaths.TestData("fhir", "bulk-10-patients", "Condition.000.ndjson");
        var lines = File.ReadAllLines(source).Where(l => l.Length > 0).ToList();
        var corrupted = lines.ToList();
        corrupted[3] = lines[3][..(lines[3].Length / 2)];                                   // truncated line
        corrupted[10] = "{not json at all";                                                 // invalid JSON
        corrupted[20] = lines[20].Replace("\"id\":", "\"identifierWas\":", StringComparison.Ordinal); // no id
        corrupted[30] = lines[30].Replace("\"resourceType\":\"Condition\"", "\"resourceType\":\"Conditon\"", StringComparison.Ordinal);
        var path = Path.Combine(_folder.Path, "Condition.corrupted.ndjson");
        File.WriteAllLines(path, corrupted);

        var ingestor = await PayloadIngestor.OpenAsync(new LocalObjectStore(Path.Combine(_folder.Path, "lake")), new IngestOptions());
        var summary = await new FileIngestor(ingestor).IngestAsync(FileIngestor.Resolve([path]));
        Assert.Equal(lines.Count - 4, summary.Resources);
        Assert.Equal(4, summary.Quarantined);
        var quarantine = (await ingestor.Quarantine.ReadAllAsync()).OrderBy(q => q.RawLine).ToList();
        Assert.Equal([4L, 11L, 21L, 31L], quarantine.Select(q => q.RawLine));
        Assert.Contains("not valid JSON", quarantine[0].Reason, StringComparison.Ordinal);
        Assert.Contains("not valid JSON", quarantine[1].Reason, StringComparison.Ordinal);
        Assert.Equal("Condition has no id", quarantine[2].Reason);
        Assert.Contains("unknown resourceType 'Conditon'", quarantine[3].Reason, StringComparison.Ordinal);
    }
}
