using System.Text;
using DuckDB.NET.Data;
using Fhirhouse.Fhir.Views;
using Fhirhouse.Ingest.Files;
using Fhirhouse.Lake.Landing;
using Fhirhouse.Views;
using Fhirhouse.Storage;
using Fhirhouse.Testing;

namespace Fhirhouse.Query.Tests;

/// <summary>The proofs of the Query room: answers over the materialised views equal answers computed from the raw NDJSON; views follow bronze; no plaintext on disk.</summary>
public sealed class ViewsOverTheLakeTests
{
    private static readonly string Bulk = RepoPaths.TestData("fhir", "bulk-10-patients");

    private static async Task<IngestSummary> IngestAsync(IObjectStore store, params string[] paths)
    {
        var ingestor = await PayloadIngestor.OpenAsync(store, new IngestOptions());
        return await new FileIngestor(ingestor).IngestAsync(FileIngestor.Resolve(paths));
    }

    private static string[] BulkFiles() => Directory.GetFiles(Bulk, "*.000.ndjson").Order(StringComparer.Ordinal).ToArray();

    /// <summary>The same question answered by DuckDB straight from the NDJSON files, as "key=count" lines.</summary>
    private static List<string> FromRawNdjson(string file, string keyPath)
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT coalesce(json_extract_string(json, '{keyPath}'), '<null>') AS k, count(*) AS n
            FROM read_ndjson_objects('{Path.Combine(Bulk, file)}') GROUP BY k ORDER BY k
            """;
        using var reader = command.ExecuteReader();
        var lines = new List<string>();
        while (reader.Read())
        {
            lines.Add($"{reader.GetString(0)}={reader.GetInt64(1)}");
        }

        return lines;
    }

    private static List<string> Lines(QueryResult result) => result.Rows.Select(r => $"{r[0] ?? "<null>"}={r[1]}").ToList();

    [Fact]
    public async Task Sql_over_the_materialised_views_gives_the_answers_computed_from_the_raw_ndjson()
    {
        using var lake = new TestLake(encrypted: true);
        var ingest = await IngestAsync(lake.Store, BulkFiles());
        Assert.Equal(0, ingest.Quarantined);
        var materializer = await ViewMaterializer.OpenAsync(lake.Store);
        var built = await materializer.BuildAsync(DefaultViews.All);
        Assert.All(built, b => Assert.Equal(ViewMaterializationKind.Built, b.Kind));
        Assert.All(built, b => Assert.Equal(0, b.Failures));
        using var engine = new QueryEngine(lake.Store);

        var patients = await engine.ExecuteAsync("SELECT count(*), count(DISTINCT id) FROM patient");
        var rawPatients = FromRawNdjson("Patient.000.ndjson", "$.resourceType").Single();
        Assert.Equal(rawPatients, $"Patient={patients.Rows[0][0]}");
        Assert.Equal(patients.Rows[0][0], patients.Rows[0][1]);

        var conditions = await engine.ExecuteAsync("SELECT code, count(*) FROM condition GROUP BY code ORDER BY coalesce(code, '<null>')");
        var rawConditions = FromRawNdjson("Condition.000.ndjson", "$.code.coding[0].code");
        Assert.True(rawConditions.Count > 10);
        Assert.Equal(rawConditions, Lines(conditions));

        var encounters = await engine.ExecuteAsync("SELECT class_code, count(*) FROM encounter GROUP BY class_code ORDER BY coalesce(class_code, '<null>')");
        Assert.Equal(FromRawNdjson("Encounter.000.ndjson", "$.class.code"), Lines(encounters));

        var joined = await engine.ExecuteAsync("SELECT count(*) FROM condition c JOIN patient p ON c.patient_id = p.id");
        Assert.Equal(conditions.Rows.Sum(r => (long)r[1]!), joined.Rows[0][0]);

        var bronze = await engine.ExecuteAsync("SELECT count(*) FROM fhir_resources WHERE resource_type = 'Encounter'");
        Assert.Equal(encounters.Rows.Sum(r => (long)r[1]!), bronze.Rows[0][0]);
        Assert.True(bronze.Tables.Single().FilesRead < bronze.Tables.Single().Files);
    }

    [Fact]
    public async Task Updates_and_deletes_in_bronze_reach_the_views_on_refresh_and_as_of_gives_the_earlier_answer()
    {
        using var lake = new TestLake(encrypted: false);
        using var inputs = new TempFolder();
        await IngestAsync(lake.Store, Path.Combine(Bulk, "Patient.000.ndjson"), Path.Combine(Bulk, "Condition.000.ndjson"));
        var materializer = await ViewMaterializer.OpenAsync(lake.Store);
        var views = new[] { DefaultViews.Get("patient"), DefaultViews.Get("condition") };
        await materializer.BuildAsync(views);
        using var engine = new QueryEngine(lake.Store);
        const string Genders = "SELECT gender, count(*) FROM patient GROUP BY gender ORDER BY gender";
        var before = Lines(await engine.ExecuteAsync(Genders));
        var conditionsBefore = (long)(await engine.ExecuteAsync("SELECT count(*) FROM condition")).Rows[0][0]!;
        var patientVersion = (await engine.ExecuteAsync("SELECT 1 FROM patient LIMIT 1")).Tables.Single().Version;
        var conditionVersion = (await engine.ExecuteAsync("SELECT 1 FROM condition LIMIT 1")).Tables.Single().Version;

        var male = (string)(await engine.ExecuteAsync("SELECT id FROM patient WHERE gender = 'male' ORDER BY id LIMIT 1")).Rows[0][0]!;
        var doomed = (string)(await engine.ExecuteAsync("SELECT id FROM condition ORDER BY id LIMIT 1")).Rows[0][0]!;
        var updated = Path.Combine(inputs.Path, "update.ndjson");
        await File.WriteAllTextAsync(updated,
            $$"""{"resourceType":"Patient","id":"{{male}}","meta":{"versionId":"2","lastUpdated":"2030-01-01T00:00:00Z"},"gender":"female","name":[{"family":"Updated"}]}""" + "\n");
        var deletion = Path.Combine(inputs.Path, "delete.json");
        await File.WriteAllTextAsync(deletion,
            "{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"timestamp\":\"2030-01-02T00:00:00Z\",\"entry\":[{\"request\":{\"method\":\"DELETE\",\"url\":\"Condition/" + doomed + "\"}}]}");
        var late = Path.Combine(inputs.Path, "late.ndjson");
        await File.WriteAllTextAsync(late,
            $$"""{"resourceType":"Patient","id":"{{male}}","meta":{"versionId":"1","lastUpdated":"2001-01-01T00:00:00Z"},"gender":"other"}""" + "\n");
        var summary = await IngestAsync(lake.Store, updated, deletion, late);
        Assert.Equal(0, summary.Quarantined);

        var refreshed = await materializer.RefreshAsync(views);

        Assert.All(refreshed, r => Assert.Equal(ViewMaterializationKind.Refreshed, r.Kind));
        Assert.Equal(1, refreshed[0].ResourcesReplaced);
        Assert.Equal(1, refreshed[1].ResourcesReplaced);
        var after = await engine.ExecuteAsync($"SELECT gender, family FROM patient WHERE id = '{male}'");
        Assert.Equal(["female", "Updated"], after.Rows.Single());
        Assert.Equal(conditionsBefore - 1, (long)(await engine.ExecuteAsync("SELECT count(*) FROM condition")).Rows[0][0]!);
        Assert.Empty((await engine.ExecuteAsync($"SELECT * FROM condition WHERE id = '{doomed}'")).Rows);
        Assert.NotEqual(before, Lines(await engine.ExecuteAsync(Genders)));

        Assert.Equal(before, Lines(await engine.ExecuteAsync(Genders, AsOf.AtVersion(patientVersion))));
        Assert.Equal(before, Lines(await engine.ExecuteAsync($"SELECT gender, count(*) FROM patient AT (VERSION => {patientVersion}) GROUP BY gender ORDER BY gender")));
        Assert.Equal(conditionsBefore, (long)(await engine.ExecuteAsync("SELECT count(*) FROM condition", AsOf.AtVersion(conditionVersion))).Rows[0][0]!);

        var again = await materializer.RefreshAsync(views);
        Assert.All(again, r => Assert.Equal(ViewMaterializationKind.UpToDate, r.Kind));
    }

    [Fact]
    public async Task Querying_an_encrypted_lake_writes_no_plaintext_to_disk()
    {
        var started = DateTime.UtcNow.AddSeconds(-1);
        using var lake = new TestLake(encrypted: true);
        var marker = "Qzvw" + "PlaintextMarker" + Guid.NewGuid().ToString("N")[..8];
        var file = Path.Combine(lake.Root, "in.ndjson");
        await File.WriteAllTextAsync(file, string.Concat(Enumerable.Range(0, 50).Select(i =>
            $$"""{"resourceType":"Patient","id":"p{{i}}","gender":"female","name":[{"family":"{{marker}}{{i}}"}]}""" + "\n")));
        await IngestAsync(lake.Store, file);
        File.Delete(file);
        var materializer = await ViewMaterializer.OpenAsync(lake.Store);
        await materializer.BuildAsync([DefaultViews.Get("patient")]);
        using var engine = new QueryEngine(lake.Store);

        var result = await engine.ExecuteAsync("SELECT family, count(*) FROM patient GROUP BY family ORDER BY family");
        var raw = await engine.ExecuteAsync($"SELECT count(*) FROM fhir_resources WHERE resource LIKE '%{marker}%'");

        Assert.Equal(50, result.Rows.Count);
        Assert.StartsWith(marker, (string)result.Rows[0][0]!, StringComparison.Ordinal);
        Assert.Equal(50L, raw.Rows[0][0]);
        Assert.True(engine.Decryptions > 0);
        var needle = Encoding.UTF8.GetBytes(marker);
        var searched = new[] { lake.Root, Path.GetTempPath(), Environment.CurrentDirectory };
        foreach (var root in searched)
        {
            foreach (var path in Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }))
            {
                var info = new FileInfo(path);
                // Length 0 also skips named pipes (other processes' debugger pipes in /tmp), whose reading would block.
                if (info.LastWriteTimeUtc < started || info.Length == 0 || info.Length > 64 << 20)
                {
                    continue;
                }

                byte[] bytes;
                try
                {
                    bytes = await File.ReadAllBytesAsync(path);
                }
                catch (IOException)
                {
                    continue;
                }
                catch (UnauthorizedAccessException)
                {
                    continue;
                }

                Assert.True(bytes.AsSpan().IndexOf(needle) < 0, $"{path} holds the marker in clear");
            }
        }
    }
}
