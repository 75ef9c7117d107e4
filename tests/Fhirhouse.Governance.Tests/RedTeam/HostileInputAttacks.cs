using System.Text;
using Fhirhouse.Fhir.Views;
using Fhirhouse.Ingest.Files;
using Fhirhouse.Lake.Landing;
using Fhirhouse.Views;

namespace Fhirhouse.Governance.Tests.RedTeam;

/// <summary>
/// Attacks on the other readers of the lake through what is ingested: lines whose bytes are not UTF-8 (which DuckDB
/// refuses in a VARCHAR, so one landed row would make <c>SELECT resource FROM fhir_resources</c> fail for everyone), a
/// line over the size limit (which failed its whole file, dropping the good lines beside it), a Bundle entry with bad
/// bytes, and numbers that overflow their view column (which failed a views build). Each bad resource is quarantined
/// with its reason, the good ones land, every role that reads bronze still reads all of it, and the views build.
/// </summary>
public sealed class HostileInputAttacks
{
    [Theory]
    [InlineData("clinician", "treatment")]
    [InlineData("admin", "operations")]
    public async Task Hostile_lines_are_quarantined_and_every_reader_of_bronze_still_reads_it_whole(string role, string purpose)
    {
        using var lake = GovernedLake.CreateEmpty();
        var folder = Path.Combine(lake.Root, "incoming");
        Directory.CreateDirectory(folder);
        byte[] Text(string text) => Encoding.UTF8.GetBytes(text);
        byte[][] lines =
        [
            Text("""{"resourceType":"Patient","id":"good1"}"""),
            [.. Text("""{"resourceType":"Patient","id":"bad1","name":[{"family":"X"""), 0xC3, 0x28, .. Text("\"}]}")],
            [.. Text("""{"resourceType":"Patient","id":"bad2","name":[{"given":["""), 0xFF, .. Text("]}]}")],
            [.. Text("""{"resourceType":"Patient","id":"bad"""), 0xFE, .. Text("3\"}")],
            Text("{\"resourceType\":\"Patient\",\"id\":\"long1\",\"name\":[{\"family\":\"" + new string('a', 4000) + "\"}]}"),
            Text("""{"resourceType":"Observation","id":"huge1","status":"final","code":{"text":"x"},"subject":{"reference":"Patient/good1"},"valueQuantity":{"value":1e999}}"""),
            Text("""{"resourceType":"Patient","id":"good2"}"""),
        ];
        var ndjson = Path.Combine(folder, "hostile.ndjson");
        await File.WriteAllBytesAsync(ndjson, [.. lines.SelectMany(l => l.Append((byte)'\n'))]);
        var bundle = Path.Combine(folder, "bundle.json");
        await File.WriteAllBytesAsync(bundle, [.. Text("""{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient","id":"good3"}},{"resource":{"resourceType":"Patient","id":"bad4","name":[{"family":"Y"""), 0xFF, .. Text("\"}]}}]}")]);

        var ingestor = await PayloadIngestor.OpenAsync(lake.Encrypted, new IngestOptions { MaxLineBytes = 2000 });
        var summary = await new FileIngestor(ingestor).IngestAsync(FileIngestor.Resolve([ndjson, bundle]));
        var views = await ViewMaterializer.OpenAsync(lake.Encrypted);
        var built = await views.BuildAsync(DefaultViews.All);

        Assert.Equal(5, summary.Quarantined);
        Assert.Equal(1, built.Single(b => b.View == "observation").ValuesNulled);
        using var engine = await lake.EngineAsync(role, purpose);
        var resources = await engine.ExecuteAsync("SELECT * FROM fhir_resources ORDER BY id");
        Assert.Equal(["good1", "good2", "good3", "huge1"], resources.Rows.Select(r => (string)r[1]!));
        var json = await engine.ExecuteAsync("SELECT resource FROM fhir_resources");
        Assert.Equal(4, json.Rows.Count);
        using var admin = await lake.EngineAsync("admin", "operations");
        var quarantine = await admin.ExecuteAsync("SELECT * FROM quarantine");
        var reasons = string.Join('\n', quarantine.Rows.Select(r => string.Join('|', r)));
        Assert.Equal(4, System.Text.RegularExpressions.Regex.Matches(reasons, "invalid UTF-8").Count);
        Assert.Contains("over the limit of 2000 bytes", reasons, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('a', 100), reasons, StringComparison.Ordinal);
        var value = await engine.ExecuteAsync("SELECT value FROM observation WHERE id = 'huge1'");
        Assert.Null(Assert.Single(value.Rows)[0]);
    }
}
