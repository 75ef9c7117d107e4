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
        CliRunner.AssertOk(await Run("ingest", "files", file));
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

    [Fact]
    public async Task Lake_verify_names_the_audit_log_and_its_version_when_its_newest_commit_is_deleted_and_readers_refuse_it()
    {
        var file = Write("p.ndjson", "{\"resourceType\":\"Patient\",\"id\":\"a\"}\n");
        CliRunner.AssertOk(await Run("ingest", "files", file));
        for (var i = 0; i < 3; i++)
        {
            CliRunner.AssertOk(await Run("sql", "SELECT count(*) FROM fhir_resources", "--role", "admin", "--purpose", "operations", "--user", "dpo"));
        }

        var clean = await Run("lake", "verify");
        Assert.True(clean.Exit == ExitCodes.Ok, clean.Out + clean.Error);
        Assert.EndsWith("0 problems", clean.Out.Trim(), StringComparison.Ordinal);

        var newest = Directory.GetFiles(Path.Combine(Lake, "tables", "audit_log", "_delta_log"), "*.json").Max(StringComparer.Ordinal)!;
        var version = long.Parse(Path.GetFileNameWithoutExtension(newest), System.Globalization.CultureInfo.InvariantCulture);
        File.Delete(newest);

        var (exit, output, _) = await Run("lake", "verify");
        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Contains($"table: tables/audit_log: its head record is at version {version} but its log ends at version {version - 1}: version {version} was deleted", output, StringComparison.Ordinal);
        var audit = await Run("audit", "list", "--role", "admin", "--purpose", "operations", "--user", "dpo");
        Assert.NotEqual(ExitCodes.Ok, audit.Exit);
        Assert.Contains("Table 'tables/audit_log' failed its tamper check", audit.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lake_upgrade_brings_a_lake_written_before_lake_ids_to_the_current_format_and_it_verifies_clean()
    {
        // A lake as the previous version wrote it: no lake id in its metadata nor in its objects' headers, no head records.
        var file = Write("p.ndjson", "{\"resourceType\":\"Patient\",\"id\":\"a\"}\n");
        CliRunner.AssertOk(await Run("ingest", "files", file));
        var keyring = Fhirhouse.Storage.Keys.Keyring.LocalKeyring.OpenOrCreate(Keyring, Path.ChangeExtension(Keyring, ".key")).Keyring;
        var legacy = new Fhirhouse.Storage.Encryption.EncryptedObjectStore(new Fhirhouse.Storage.Local.LocalObjectStore(Lake), keyring);
        using (var current = await Fhirhouse.Storage.Lake.LakeStore.OpenAsync(new Fhirhouse.Storage.Lake.LakeOptions { Uri = Lake, KeyProvider = keyring }))
        {
            await foreach (var info in current.Objects.ListAsync(""))
            {
                await Fhirhouse.Storage.ObjectStoreExtensions.PutAsync(legacy, info.Key, await Fhirhouse.Storage.ObjectStoreExtensions.ReadAllBytesAsync(current.Objects, info.Key));
            }
        }

        await Fhirhouse.Delta.DeltaTable.CreateAsync(legacy, "tables/gold/old_table", new Fhirhouse.Delta.Schema.StructType(
            new Fhirhouse.Delta.Schema.StructField("n", Fhirhouse.Delta.Schema.PrimitiveType.Long)));
        var metadata = Path.Combine(Lake, "_fhirhouse", "lake.json");
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(metadata))!.AsObject();
        json.Remove("lakeId");
        File.WriteAllText(metadata, json.ToJsonString());
        Directory.Delete(Path.Combine(Lake, "_heads"), recursive: true);

        var refused = await Run("lake", "verify");
        Assert.Equal(ExitCodes.Usage, refused.Exit);
        Assert.Contains("run 'fhirhouse lake upgrade", refused.Error, StringComparison.Ordinal);

        var (exit, output, error) = await Run("lake", "upgrade");
        Assert.True(exit == ExitCodes.Ok, output + error);
        Assert.Contains("upgraded: lake id ", output, StringComparison.Ordinal);
        Assert.Contains("tables given a head record", error, StringComparison.Ordinal);

        var verify = await Run("lake", "verify");
        Assert.True(verify.Exit == ExitCodes.Ok, verify.Out + verify.Error);
        Assert.Contains("already current", (await Run("lake", "upgrade")).Out, StringComparison.Ordinal);
        CliRunner.AssertOk(await Run("ingest", "files", Write("q.ndjson", "{\"resourceType\":\"Patient\",\"id\":\"b\"}\n")));
        CliRunner.AssertOk(await Run("lake", "verify"));
    }
}
