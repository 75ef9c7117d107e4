using System.Text;
using System.Text.Json;
using Fhirhouse.Testing;

namespace Fhirhouse.Cli.Tests;

/// <summary>The lake commands end to end on a temp lake: ingest, table, keys, lake verify.</summary>
public sealed class LakeCommandsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Lake => Path.Combine(_folder.Path, "lake");

    private string Keyring => Path.Combine(_folder.Path, "keys", "keyring.json");

    private Task<(int Exit, string Out, string Error)> Run(params string[] args) => CliRunner.RunAsync([.. args, "--lake", Lake, "--keyring", Keyring]);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_folder.Path, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public async Task Ingest_files_lands_resources_quarantines_bad_lines_and_says_so_in_json()
    {
        var file = Write("p.ndjson", "{\"resourceType\":\"Patient\",\"id\":\"a\"}\n{\"resourceType\":\"Patient\"}\n{\"resourceType\":\"Patient\",\"id\":\"b\"}\n");
        var (exit, output, error) = await Run("ingest", "files", file, "--json");
        Assert.Equal(ExitCodes.Ok, exit);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(2, json.RootElement.GetProperty("resources").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("quarantined").GetInt32());
        Assert.Contains("created a local keyring", error, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.ChangeExtension(Keyring, ".key")));

        var again = await Run("ingest", "files", file, "--json");
        using var second = JsonDocument.Parse(again.Out);
        Assert.Equal(1, second.RootElement.GetProperty("alreadyIngested").GetInt32());
        Assert.DoesNotContain("created a local keyring", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nothing_of_an_ingested_resource_is_stored_in_clear()
    {
        var marker = "Zxqvmarker" + "Surname";
        var file = Write("p.ndjson", $"{{\"resourceType\":\"Patient\",\"id\":\"a\",\"name\":[{{\"family\":\"{marker}\"}}]}}\n");
        Assert.Equal(ExitCodes.Ok, (await Run("ingest", "files", file)).Exit);
        var needle = Encoding.UTF8.GetBytes(marker);
        foreach (var stored in Directory.EnumerateFiles(Lake, "*", SearchOption.AllDirectories))
        {
            Assert.True(File.ReadAllBytes(stored).AsSpan().IndexOf(needle) < 0, $"{stored} holds the marker in clear");
        }
    }

    [Fact]
    public async Task Table_describe_history_and_files_read_the_encrypted_bronze_table()
    {
        var file = Write("p.ndjson", "{\"resourceType\":\"Patient\",\"id\":\"a\"}\n{\"resourceType\":\"Observation\",\"id\":\"o\",\"status\":\"final\",\"code\":{\"text\":\"x\"}}\n");
        await Run("ingest", "files", file);
        var describe = await Run("table", "describe", "fhir_resources", "--json");
        Assert.Equal(ExitCodes.Ok, describe.Exit);
        using var d = JsonDocument.Parse(describe.Out);
        Assert.Equal(2, d.RootElement.GetProperty("rows").GetInt32());
        Assert.Equal("resource_type", d.RootElement.GetProperty("partitionColumns")[0].GetString());

        var history = await Run("table", "history", "fhir_resources", "--json");
        using var h = JsonDocument.Parse(history.Out);
        Assert.Equal("CREATE TABLE", h.RootElement.EnumerateArray().Single(v => v.GetProperty("version").GetInt32() == 0).GetProperty("operation").GetString());

        var files = await Run("table", "files", "fhir_resources", "--json");
        using var f = JsonDocument.Parse(files.Out);
        Assert.Equal(["resource_type=Observation", "resource_type=Patient"], f.RootElement.EnumerateArray().Select(x => x.GetProperty("partition").GetString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Table_reads_a_plain_delta_folder_written_by_spark()
    {
        var table = RepoPaths.TestData("delta", "kernel-golden", "basic-decimal-table", "delta");
        var (exit, output, _) = await CliRunner.RunAsync("table", "describe", table, "--json");
        Assert.Equal(ExitCodes.Ok, exit);
        using var json = JsonDocument.Parse(output);
        Assert.True(json.RootElement.GetProperty("files").GetInt32() > 0);
    }

    [Fact]
    public async Task Vacuum_refuses_a_retention_under_seven_days_without_force()
    {
        var file = Write("p.ndjson", "{\"resourceType\":\"Patient\",\"id\":\"a\"}\n");
        await Run("ingest", "files", file);
        var (exit, _, error) = await Run("table", "vacuum", "fhir_resources", "--retain-hours", "1");
        Assert.NotEqual(ExitCodes.Ok, exit);
        Assert.Contains("7", error, StringComparison.Ordinal);
        var dry = await Run("table", "vacuum", "fhir_resources", "--dry-run", "--json");
        Assert.Equal(ExitCodes.Ok, dry.Exit);
    }

    [Fact]
    public async Task Lake_verify_is_clean_then_names_a_tampered_object_and_exits_1()
    {
        var file = Write("p.ndjson", "{\"resourceType\":\"Patient\",\"id\":\"a\"}\n");
        await Run("ingest", "files", file);
        var clean = await Run("lake", "verify");
        Assert.Equal(ExitCodes.Ok, clean.Exit);
        Assert.Contains("0 problems", clean.Out, StringComparison.Ordinal);

        var victim = Directory.EnumerateFiles(Path.Combine(Lake, "raw"), "*", SearchOption.AllDirectories).First();
        var bytes = File.ReadAllBytes(victim);
        bytes[^5] ^= 0x01;
        File.WriteAllBytes(victim, bytes);
        var tampered = await Run("lake", "verify");
        Assert.Equal(ExitCodes.Failure, tampered.Exit);
        Assert.Contains(Path.GetFileName(victim), tampered.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_rotate_rewraps_every_object_under_the_new_version()
    {
        var file = Write("p.ndjson", "{\"resourceType\":\"Patient\",\"id\":\"a\"}\n");
        await Run("ingest", "files", file);
        var rotate = await Run("keys", "rotate");
        Assert.Equal(ExitCodes.Ok, rotate.Exit);
        Assert.Contains("version 2", rotate.Out, StringComparison.Ordinal);
        var list = await Run("keys", "list");
        Assert.Contains("version 2:", list.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("version 1:", list.Out, StringComparison.Ordinal);
        var (exit, output, _) = await Run("table", "describe", "fhir_resources", "--json");
        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Contains("\"rows\": 1", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_init_refuses_an_existing_keyring()
    {
        var first = await CliRunner.RunAsync("keys", "init", "--keyring", Keyring);
        Assert.Equal(ExitCodes.Ok, first.Exit);
        var second = await CliRunner.RunAsync("keys", "init", "--keyring", Keyring);
        Assert.Equal(ExitCodes.Failure, second.Exit);
        Assert.Contains("already exists", second.Error, StringComparison.Ordinal);
    }
}
