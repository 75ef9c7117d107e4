using System.Text.Json;
using Fhirhouse.Testing;

namespace Fhirhouse.Cli.Tests;

/// <summary><c>fhirhouse forget</c> and <c>fhirhouse export research</c> end to end on a generated hospital in a temp lake.</summary>
public sealed class GovernanceCommandsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Lake => Path.Combine(_folder.Path, "lake");

    private Task<(int Exit, string Out, string Error)> Run(params string[] args) =>
        CliRunner.RunAsync([.. args, "--lake", Lake, "--keyring", Path.Combine(_folder.Path, "keys", "keyring.json")]);

    /// <summary>Runs a command that reads or erases data as the administrator, for operations (what the shipped policies allow).</summary>
    private Task<(int Exit, string Out, string Error)> RunAsAdmin(params string[] args) =>
        Run([.. args, "--role", "admin", "--purpose", "operations", "--user", "dpo"]);

    private async Task<string> HospitalAsync()
    {
        var hospital = Path.Combine(_folder.Path, "hospital");
        CliRunner.AssertOk(await CliRunner.RunAsync("generate", "--patients", "3", "--seed", "4", "--out", hospital));
        File.Delete(Path.Combine(hospital, "notes-ground-truth.ndjson"));
        CliRunner.AssertOk(await Run("ingest", "files", hospital));
        CliRunner.AssertOk(await Run("views", "build"));
        var patient = File.ReadLines(Path.Combine(hospital, "Patient.000.ndjson")).First();
        return JsonDocument.Parse(patient).RootElement.GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task Forget_dry_run_then_forget_prints_a_signed_report_that_verify_accepts()
    {
        var patient = await HospitalAsync();

        var dry = await RunAsAdmin("forget", "--patient", patient, "--dry-run");
        Assert.Equal(ExitCodes.Ok, dry.Exit);
        Assert.Contains("table: tables/fhir_resources: would remove", dry.Out, StringComparison.Ordinal);

        var (exit, output, error) = await RunAsAdmin("forget", "--patient", patient, "--json");
        Assert.Equal(ExitCodes.Ok, exit);
        Assert.DoesNotContain(patient, output, StringComparison.Ordinal);
        using var report = JsonDocument.Parse(output);
        Assert.False(report.RootElement.GetProperty("nothingFound").GetBoolean());
        Assert.Contains("stored under jobs/erasure/reports/", error, StringComparison.Ordinal);
        var subject = report.RootElement.GetProperty("subject").GetString()!;
        var stored = Directory.GetFiles(Path.Combine(Lake, "jobs", "erasure", "reports", subject)).Single();
        var key = Path.GetRelativePath(Lake, stored).Replace('\\', '/');

        var verify = await Run("forget", "verify", key);
        Assert.Equal(ExitCodes.Ok, verify.Exit);
        Assert.Contains("verified: subject " + subject, verify.Out, StringComparison.Ordinal);

        var again = await RunAsAdmin("forget", "--patient", patient);
        Assert.Contains("nothing of this patient was found", again.Out, StringComparison.Ordinal);
        var sql = await RunAsAdmin("sql", $"SELECT count(*) AS n FROM fhir_resources WHERE patient_id = '{patient}' OR id = '{patient}'", "--format", "csv");
        Assert.Equal("n\n0", sql.Out.Trim().ReplaceLineEndings("\n"));

        // Each erasure step is in the audit log, by subject hash, never by the patient's id.
        var audit = await RunAsAdmin("audit", "list", "--json");
        Assert.Equal(ExitCodes.Ok, audit.Exit);
        using var rows = JsonDocument.Parse(audit.Out);
        var forgets = rows.RootElement.EnumerateArray().Where(r => r.GetProperty("entryPoint").GetString() == "forget").Select(r => r.GetRawText()).ToList();
        Assert.Contains(forgets, r => r.Contains("forget subject " + subject, StringComparison.Ordinal) && r.Contains("completed", StringComparison.Ordinal));
        Assert.All(forgets, r => Assert.DoesNotContain(patient, r, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Forget_is_refused_to_a_role_the_policies_do_not_allow_and_the_refusal_is_audited()
    {
        var patient = await HospitalAsync();

        var (exit, _, error) = await Run("forget", "--patient", patient, "--role", "analyst", "--purpose", "operations", "--user", "ann");

        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Contains("analyst", error, StringComparison.Ordinal);
        Assert.Contains("forget", error, StringComparison.Ordinal);
        var left = await RunAsAdmin("sql", $"SELECT count(*) AS n FROM fhir_resources WHERE id = '{patient}'", "--format", "csv");
        Assert.Equal("n\n1", left.Out.Trim().ReplaceLineEndings("\n"));
        var audit = await RunAsAdmin("audit", "list", "--json");
        Assert.Contains("\"denied\"", audit.Out, StringComparison.Ordinal);
        Assert.Contains("ann", audit.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forget_without_a_patient_is_bad_usage()
    {
        var (exit, _, error) = await Run("forget");
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("--patient", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_research_writes_a_pseudonymised_view_without_names()
    {
        var patient = await HospitalAsync();
        var output = Path.Combine(_folder.Path, "patients.ndjson");

        var (exit, _, error) = await RunAsAdmin("export", "research", "--view", "patient", "--format", "ndjson", "--out", output);

        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Contains("3 rows written", error, StringComparison.Ordinal);
        Assert.Contains("family", error, StringComparison.Ordinal);
        var text = await File.ReadAllTextAsync(output);
        Assert.DoesNotContain(patient, text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"family\"", text, StringComparison.Ordinal);
        Assert.Equal(3, text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Contains("research-export", (await RunAsAdmin("audit", "list", "--json")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_research_treats_columns_at_the_source_whatever_the_sql_calls_them()
    {
        var patient = await HospitalAsync();
        var output = Path.Combine(_folder.Path, "renamed.ndjson");

        var (exit, _, error) = await RunAsAdmin("export", "research", "--sql", "SELECT id AS pid, 'Patient/' || id AS ref, family || '' AS f, replace(birth_date, '-', '/') AS b FROM patient",
            "--format", "ndjson", "--out", output);

        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Contains("patient.family", error, StringComparison.Ordinal);
        var rows = File.ReadLines(output).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.Matches("^[0-9a-f]{32}$", r.GetProperty("pid").GetString()!));
        Assert.All(rows, r => Assert.Equal(JsonValueKind.Null, r.GetProperty("f").ValueKind));
        Assert.DoesNotContain(patient, await File.ReadAllTextAsync(output), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sql_as_a_role_with_masks_does_not_show_how_many_files_pruning_kept()
    {
        await HospitalAsync();

        var analyst = await Run("sql", "SELECT count(*) FROM patient WHERE BIRTH_DATE > '1980'", "--role", "analyst", "--purpose", "operations");
        var admin = await RunAsAdmin("sql", "SELECT count(*) FROM patient WHERE BIRTH_DATE > '1980'");

        Assert.Equal(ExitCodes.Ok, analyst.Exit);
        Assert.Contains("read through masks or a row filter", analyst.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("files read", analyst.Error, StringComparison.Ordinal);
        Assert.Contains("files read", admin.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_research_reads_through_the_policies_of_its_identity()
    {
        await HospitalAsync();

        var (exit, _, error) = await Run("export", "research", "--resources", "Patient", "--format", "ndjson", "--out", Path.Combine(_folder.Path, "p.ndjson"),
            "--role", "data-scientist", "--purpose", "research", "--user", "dana");

        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Contains("research-no-raw-data", error, StringComparison.Ordinal);
    }
}
