using System.Text.Json;
using Fhirhouse.Testing;

namespace Fhirhouse.Cli.Tests;

/// <summary>views, sql and audit end to end on an encrypted temp lake; sql and audit read as admin/operations unless a test says otherwise.</summary>
public sealed class SqlCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Lake => Path.Combine(_folder.Path, "lake");

    private Task<(int Exit, string Out, string Error)> Run(params string[] args) =>
        CliRunner.RunAsync([.. args, .. args[0] is "sql" or "audit" && !args.Contains("--role") ? ["--role", "admin", "--purpose", "operations", "--user", "ops"] : Array.Empty<string>(),
            "--lake", Lake, "--keyring", Path.Combine(_folder.Path, "keys", "keyring.json")]);

    private async Task IngestAsync(string name, string ndjson)
    {
        var path = Path.Combine(_folder.Path, name);
        await File.WriteAllTextAsync(path, ndjson);
        CliRunner.AssertOk(await Run("ingest", "files", path));
    }

    private static string Patient(string id, string gender, int version) =>
        $$"""{"resourceType":"Patient","id":"{{id}}","meta":{"versionId":"{{version}}","lastUpdated":"202{{version}}-01-01T00:00:00Z"},"gender":"{{gender}}","birthDate":"1970-0{{version}}-01"}""" + "\n";

    [Fact]
    public async Task Views_build_then_sql_answers_in_csv_json_and_parquet_and_refresh_follows_an_update_with_as_of_for_the_past()
    {
        await IngestAsync("a.ndjson", Patient("a", "female", 1) + Patient("b", "male", 1) + Patient("c", "female", 1));
        var build = await Run("views", "build", "patient", "--json");
        Assert.Equal(ExitCodes.Ok, build.Exit);
        using (var json = JsonDocument.Parse(build.Out))
        {
            Assert.Equal("built", json.RootElement[0].GetProperty("kind").GetString());
            Assert.Equal(3, json.RootElement[0].GetProperty("rows").GetInt32());
        }

        const string Query = "SELECT gender, count(*) AS n FROM patient GROUP BY gender ORDER BY gender";
        var csv = await Run("sql", Query, "--format", "csv");
        Assert.Equal(ExitCodes.Ok, csv.Exit);
        Assert.Equal("gender,n\nfemale,2\nmale,1\n", csv.Out.ReplaceLineEndings("\n"));

        var json2 = await Run("sql", "SELECT id, birth_date FROM patient WHERE id = 'b'", "--format", "json");
        using (var doc = JsonDocument.Parse(json2.Out))
        {
            Assert.Equal("1970-01-01", doc.RootElement[0].GetProperty("birth_date").GetString());
        }

        var parquet = Path.Combine(_folder.Path, "out.parquet");
        var export = await Run("sql", Query, "--format", "parquet", "--out", parquet);
        Assert.Equal(ExitCodes.Ok, export.Exit);
        Assert.Contains("2 rows written", export.Error, StringComparison.Ordinal);
        Assert.Equal("PAR1"u8.ToArray(), File.ReadAllBytes(parquet)[..4]);

        var versions = await Run("views", "list", "--json");
        long builtVersion;
        using (var list = JsonDocument.Parse(versions.Out))
        {
            builtVersion = list.RootElement.EnumerateArray().Single(v => v.GetProperty("name").GetString() == "patient").GetProperty("tableVersion").GetInt64();
        }

        await IngestAsync("b.ndjson", Patient("b", "female", 2));
        CliRunner.AssertOk(await Run("views", "refresh", "patient"));
        Assert.Equal("gender,n\nfemale,3\n", (await Run("sql", Query, "--format", "csv")).Out.ReplaceLineEndings("\n"));
        var past = await Run("sql", Query, "--format", "csv", "--as-of", builtVersion.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("gender,n\nfemale,2\nmale,1\n", past.Out.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Sql_refuses_a_change_with_exit_code_1_and_parquet_without_out_is_bad_usage()
    {
        await IngestAsync("a.ndjson", Patient("a", "female", 1));

        var delete = await Run("sql", "DELETE FROM fhir_resources");
        Assert.Equal(ExitCodes.Failure, delete.Exit);
        Assert.Contains("read-only", delete.Error, StringComparison.Ordinal);

        var usage = await Run("sql", "SELECT 1", "--format", "parquet");
        Assert.Equal(ExitCodes.Usage, usage.Exit);
        Assert.Contains("--out", usage.Error, StringComparison.Ordinal);

        var count = await Run("sql", "SELECT count(*) AS n FROM fhir_resources", "--format", "csv");
        Assert.Equal("n\n1\n", count.Out.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Without_a_query_the_shell_runs_the_statements_read_from_standard_input_and_ends_there()
    {
        await IngestAsync("a.ndjson", Patient("a", "female", 1) + Patient("b", "male", 1));
        var previous = Console.In;
        try
        {
            Console.SetIn(new StringReader("SELECT count(*) AS n\nFROM fhir_resources;\nSELECT 'x' AS y;\nDROP TABLE fhir_resources;\n.tables\n"));
            var shell = await Run("sql", "--format", "csv", "--history", "none");

            Assert.Contains("n\n2\n", shell.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
            Assert.Contains("y\nx\n", shell.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
            Assert.Contains("fhir_resources\ttables/fhir_resources", shell.Out, StringComparison.Ordinal);
            Assert.Contains("read-only", shell.Error, StringComparison.Ordinal);
        }
        finally
        {
            Console.SetIn(previous);
        }
    }

    [Fact]
    public async Task Sql_as_an_analyst_for_operations_sees_masked_patients_and_is_refused_bronze_naming_the_default()
    {
        await IngestAsync("a.ndjson", Patient("a", "female", 1) + Patient("b", "male", 1));
        CliRunner.AssertOk(await Run("views", "build", "patient"));

        var masked = await Run("sql", "SELECT id, birth_date, gender FROM patient ORDER BY gender", "--role", "analyst", "--purpose", "operations", "--format", "csv");
        Assert.Equal(ExitCodes.Ok, masked.Exit);
        var lines = masked.Out.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("id,birth_date,gender", lines[0]);
        Assert.Matches("^[0-9a-f]{64},1970,female$", lines[1]);

        var denied = await Run("sql", "SELECT count(*) FROM fhir_resources", "--role", "analyst", "--purpose", "operations");
        Assert.Equal(ExitCodes.Failure, denied.Exit);
        Assert.Contains("no rule allows table 'bronze.fhir_resources' to role 'analyst' for purpose 'operations' (deny by default", denied.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sql_without_an_identity_says_how_to_set_one_with_exit_code_2()
    {
        var environment = new Dictionary<string, string> { ["FHIRHOUSE_OPERATOR"] = Path.Combine(_folder.Path, "no-operator.json") };
        var (exit, _, error) = await CliRunner.RunProcessAsync(environment, "sql", "SELECT 1", "--lake", Lake, "--keyring", Path.Combine(_folder.Path, "keys", "keyring.json"));

        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("give --role and --purpose", error, StringComparison.Ordinal);
        Assert.Contains("no-operator.json", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_list_shows_every_query_to_admin_only_and_export_writes_AuditEvents()
    {
        await IngestAsync("a.ndjson", Patient("a", "female", 1));
        CliRunner.AssertOk(await Run("sql", "SELECT count(*) FROM fhir_resources"));
        Assert.Equal(ExitCodes.Failure, (await Run("sql", "SELECT * FROM fhir_resources", "--role", "data-scientist", "--purpose", "research")).Exit);

        var refused = await Run("audit", "list", "--role", "analyst", "--purpose", "operations");
        Assert.Equal(ExitCodes.Failure, refused.Exit);
        Assert.Contains("no rule allows table 'audit_log' to role 'analyst'", refused.Error, StringComparison.Ordinal);

        var list = await Run("audit", "list", "--json");
        Assert.Equal(ExitCodes.Ok, list.Exit);
        using (var json = JsonDocument.Parse(list.Out))
        {
            var rows = json.RootElement.EnumerateArray().ToList();
            Assert.Equal(["ok", "denied", "denied"], rows.Select(r => r.GetProperty("outcome").GetString()));
            Assert.Equal(["cli-sql", "cli-sql", "cli-audit"], rows.Select(r => r.GetProperty("entryPoint").GetString()));
            Assert.Equal("ops", rows[0].GetProperty("user").GetString());
            Assert.Equal(1, rows[0].GetProperty("rows").GetInt64());
            Assert.Equal("data-scientist", rows[1].GetProperty("role").GetString());
        }

        var file = Path.Combine(_folder.Path, "audit.ndjson");
        var export = await Run("audit", "export", "--out", file);
        Assert.Equal(ExitCodes.Ok, export.Exit);
        var events = File.ReadAllLines(file);
        Assert.Equal(4, events.Length);
        Assert.All(events, e => Assert.Equal("AuditEvent", JsonDocument.Parse(e).RootElement.GetProperty("resourceType").GetString()));
    }
}
