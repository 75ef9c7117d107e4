using System.Text.Json;
using Fhirhouse.Synthetic;
using Fhirhouse.Testing;

namespace Fhirhouse.Cli.Tests;

/// <summary>An erased patient brought back by restoring a backup: <c>lake verify</c> names them, <c>forget --reapply</c> erases them again.</summary>
public sealed class ErasureBackupTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string LakeFolder => Path.Combine(_folder.Path, "lake");

    private string[] Lake => ["--lake", LakeFolder, "--keyring", Path.Combine(_folder.Path, "keys", "keyring.json")];

    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    [Fact]
    public async Task A_patient_restored_from_a_backup_is_reported_by_lake_verify_and_erased_again_by_reapply()
    {
        var hospital = Path.Combine(_folder.Path, "hospital");
        var generated = new HospitalGenerator(new HospitalOptions { Patients = 4, Seed = 9 }).Generate(hospital);
        var ingest = await CliRunner.RunAsync(["ingest", "files", .. generated.Files.Select(f => Path.Combine(hospital, f)), .. Lake]);
        Assert.True(ingest.Exit == 0, ingest.Error);
        var patient = File.ReadLines(Path.Combine(hospital, "Patient.000.ndjson")).Skip(1).First().Split("\"id\":\"")[1].Split('"')[0];

        // A backup of bronze and the raw zone, taken before the erasure.
        var backup = Path.Combine(_folder.Path, "backup");
        Copy(Path.Combine(LakeFolder, "tables", "fhir_resources"), Path.Combine(backup, "tables", "fhir_resources"));
        Copy(Path.Combine(LakeFolder, "raw"), Path.Combine(backup, "raw"));
        Copy(Path.Combine(LakeFolder, "_heads", "tables", "fhir_resources"), Path.Combine(backup, "_heads", "tables", "fhir_resources"));

        var forget = await CliRunner.RunAsync(["forget", "--patient", patient, "--role", "admin", "--purpose", "operations", "--json", .. Lake]);
        Assert.True(forget.Exit == 0, forget.Error);
        var subject = JsonDocument.Parse(forget.Out).RootElement.GetProperty("subject").GetString()!;
        var clean = await CliRunner.RunAsync(["lake", "verify", .. Lake]);
        Assert.True(clean.Exit == 0, clean.Out + clean.Error);
        Assert.DoesNotContain("reappeared", clean.Out, StringComparison.Ordinal);

        // A restore of bronze's folder without its head records looks like deleted commits, and is reported as such.
        Directory.Delete(Path.Combine(LakeFolder, "tables", "fhir_resources"), recursive: true);
        Copy(Path.Combine(backup, "tables"), Path.Combine(LakeFolder, "tables"));
        var partial = await CliRunner.RunAsync(["lake", "verify", .. Lake]);
        Assert.Contains("table: tables/fhir_resources: its head record is at version", partial.Out, StringComparison.Ordinal);
        Assert.Contains("restored from a backup without its head records", partial.Out, StringComparison.Ordinal);

        // The restore as docs/erasure.md says: bronze's folder and its head records from the backup, the raw zone's objects put back.
        Directory.Delete(Path.Combine(LakeFolder, "_heads", "tables", "fhir_resources"), recursive: true);
        Copy(backup, LakeFolder);

        var restored = await CliRunner.RunAsync(["lake", "verify", .. Lake]);
        Assert.Equal(ExitCodes.Failure, restored.Exit);
        Assert.DoesNotContain("table: ", restored.Out, StringComparison.Ordinal);
        Assert.Contains($"reappeared: subject {subject}:", restored.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(patient, restored.Out + restored.Error, StringComparison.Ordinal);

        var reapply = await CliRunner.RunAsync(["forget", "--reapply", "--role", "admin", "--purpose", "operations", .. Lake]);
        Assert.True(reapply.Exit == 0, reapply.Error);
        Assert.Contains("1 erased patient(s) back in the lake", reapply.Error, StringComparison.Ordinal);

        var after = await CliRunner.RunAsync(["lake", "verify", .. Lake]);
        Assert.True(after.Exit == 0, after.Out + after.Error);
        var sql = await CliRunner.RunAsync(["sql", $"SELECT count(*) AS n FROM fhir_resources WHERE id = '{patient}' OR patient_id = '{patient}'", "--format", "csv", "--role", "admin", "--purpose", "operations", .. Lake]);
        Assert.True(sql.Exit == 0, sql.Error);
        Assert.Equal("0", sql.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Trim());

        var nothing = await CliRunner.RunAsync(["forget", "--reapply", "--role", "admin", "--purpose", "operations", .. Lake]);
        Assert.True(nothing.Exit == 0, nothing.Error);
        Assert.Contains("no erased patient is back in the lake", nothing.Error, StringComparison.Ordinal);
    }
}
