using System.Diagnostics;
using System.Text.Json;
using Fhirhouse.Testing;

namespace Fhirhouse.Cli.Tests;

/// <summary>The policies in force belong to the lake: <c>policies set|show|history</c>, <c>--policies</c> only where allowed, never the current folder.</summary>
public sealed class PoliciesCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public PoliciesCommandTests()
    {
        File.WriteAllText(Path.Combine(_folder.Path, "p.ndjson"), "{\"resourceType\":\"Patient\",\"id\":\"a\"}\n");
    }

    public void Dispose() => _folder.Dispose();

    private string Lake => Path.Combine(_folder.Path, "lake");

    private string[] LakeArgs => ["--lake", Lake, "--keyring", Path.Combine(_folder.Path, "keys", "keyring.json")];

    private Task<(int Exit, string Out, string Error)> Run(params string[] args) => CliRunner.RunAsync([.. args, .. LakeArgs]);

    private Task<(int Exit, string Out, string Error)> RunAs(string role, string purpose, params string[] args) =>
        Run([.. args, "--role", role, "--purpose", purpose, "--user", role + "-user"]);

    /// <summary>The shipped policies plus a rule letting analysts read bronze for operations.</summary>
    private string AnalystsReadBronze(string name)
    {
        var folder = Path.Combine(_folder.Path, name);
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(AppContext.BaseDirectory, "policies", "default.json"), Path.Combine(folder, "default.json"));
        File.WriteAllText(Path.Combine(folder, "zz-analysts.json"), """
            { "rules": [ { "name": "analyst-bronze", "tables": ["fhir_resources"], "roles": ["analyst"], "purposes": ["operations"], "effect": "allow" } ] }
            """);
        return folder;
    }

    private async Task<string> AuditAsync() => (await RunAs("admin", "operations", "audit", "list", "--json")).Out;

    [Fact]
    public async Task A_policies_folder_in_the_current_directory_changes_nothing()
    {
        CliRunner.AssertOk(await Run("ingest", "files", Path.Combine(_folder.Path, "p.ndjson")));
        var work = Path.Combine(_folder.Path, "work");
        Directory.CreateDirectory(work);
        Directory.Move(AnalystsReadBronze("staging"), Path.Combine(work, "policies"));

        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "fhirhouse.dll"), "sql", "SELECT count(*) FROM fhir_resources",
            "--role", "analyst", "--purpose", "operations", .. LakeArgs])
        {
            WorkingDirectory = work,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment.Remove("FHIRHOUSE_POLICIES");
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));

        Assert.NotEqual(ExitCodes.Ok, process.ExitCode);
        var said = await error;
        Assert.Contains("Access denied: no rule allows table", said, StringComparison.Ordinal);
        Assert.Contains("to role 'analyst' for purpose 'operations'", said, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Policies_set_by_a_role_the_policies_do_not_allow_is_refused_and_audited()
    {
        CliRunner.AssertOk(await Run("ingest", "files", Path.Combine(_folder.Path, "p.ndjson")));
        var (exit, _, error) = await RunAs("clinician", "treatment", "policies", "set", AnalystsReadBronze("new"));

        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Contains("no rule allows table 'policies-set' to role 'clinician'", error, StringComparison.Ordinal);
        var denied = JsonDocument.Parse(await AuditAsync()).RootElement.EnumerateArray()
            .Single(r => r.GetProperty("entryPoint").GetString() == "policies");
        Assert.Equal("denied", denied.GetProperty("outcome").GetString());
        Assert.Equal("clinician-user", denied.GetProperty("user").GetString());
        Assert.Contains("no revision set", (await RunAs("admin", "operations", "policies", "history")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Policies_set_by_an_allowed_role_are_in_force_for_everyone_and_kept_with_their_history()
    {
        CliRunner.AssertOk(await Run("ingest", "files", Path.Combine(_folder.Path, "p.ndjson")));
        Assert.Equal(ExitCodes.Failure, (await RunAs("analyst", "operations", "sql", "SELECT count(*) AS n FROM fhir_resources")).Exit);

        var set = await RunAs("admin", "operations", "policies", "set", AnalystsReadBronze("new"));
        Assert.True(set.Exit == ExitCodes.Ok, set.Error);
        Assert.Contains("revision 1 in force (2 files", set.Out, StringComparison.Ordinal);

        var sql = await RunAs("analyst", "operations", "sql", "SELECT count(*) AS n FROM fhir_resources", "--format", "csv");
        Assert.True(sql.Exit == ExitCodes.Ok, sql.Error);
        Assert.Equal("n\n1", sql.Out.Trim().ReplaceLineEndings("\n"));

        var history = await RunAs("admin", "operations", "policies", "history", "--json");
        var revision = Assert.Single(JsonDocument.Parse(history.Out).RootElement.EnumerateArray());
        Assert.Equal("admin-user", revision.GetProperty("setBy").GetString());
        Assert.Equal(["default.json", "zz-analysts.json"], revision.GetProperty("files").EnumerateArray().Select(f => f.GetString()));
        var show = await RunAs("admin", "operations", "policies", "show");
        Assert.Contains("# revision 1 (in force)", show.Out, StringComparison.Ordinal);
        Assert.Contains("\"analyst-bronze\"", show.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Failure, (await RunAs("analyst", "operations", "policies", "show")).Exit);
        Assert.Contains("policies set revision 1 sha256", await AuditAsync(), StringComparison.Ordinal);

        // The policies live in the lake's table: no file of them in clear.
        Assert.DoesNotContain(Directory.GetFiles(Lake, "*", SearchOption.AllDirectories), f => File.ReadAllText(f).Contains("analyst-bronze", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_policies_option_is_refused_to_roles_not_allowed_to_override_and_audited_for_those_allowed()
    {
        CliRunner.AssertOk(await Run("ingest", "files", Path.Combine(_folder.Path, "p.ndjson")));
        var folder = AnalystsReadBronze("mine");

        var refused = await RunAs("analyst", "operations", "sql", "SELECT count(*) FROM fhir_resources", "--policies", folder);
        Assert.Equal(ExitCodes.Failure, refused.Exit);
        Assert.Contains("'policies-override'", refused.Error, StringComparison.Ordinal);

        var allowed = await RunAs("admin", "operations", "sql", "SELECT count(*) FROM fhir_resources", "--policies", folder);
        Assert.True(allowed.Exit == ExitCodes.Ok, allowed.Error);
        var entries = JsonDocument.Parse(await AuditAsync()).RootElement.EnumerateArray().Where(r => r.GetProperty("entryPoint").GetString() == "policies").ToList();
        Assert.Contains(entries, r => r.GetProperty("outcome").GetString() == "denied" && r.GetProperty("user").GetString() == "analyst-user");
        Assert.Contains(entries, r => r.GetProperty("outcome").GetString() == "ok" && r.GetProperty("query").GetString()!.StartsWith("policies override from " + folder, StringComparison.Ordinal));
    }
}
