using System.Security.Cryptography;
using System.Text.Json;
using Fhirhouse.Cli.Commands;
using Fhirhouse.Server;
using Fhirhouse.Server.Auth;
using Fhirhouse.Testing;

namespace Fhirhouse.Cli.Tests;

/// <summary><c>fhirhouse ingest bulk</c> against our Bulk Data server over an encrypted lake, with SMART authorization.</summary>
public sealed class IngestBulkCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Keyring => Path.Combine(_folder.Path, "keys", "keyring.json");

    private string PathOf(string name) => Path.Combine(_folder.Path, name);

    [Fact]
    public async Task Ingest_bulk_exports_from_a_server_into_the_lake_with_a_client_assertion()
    {
        var input = PathOf("in.ndjson");
        await File.WriteAllTextAsync(input, string.Join('\n',
            """{"resourceType":"Patient","id":"a","meta":{"lastUpdated":"2025-01-01T00:00:00Z"}}""",
            """{"resourceType":"Patient","id":"b","meta":{"lastUpdated":"2025-01-01T00:00:00Z"}}""",
            """{"resourceType":"Observation","id":"o","status":"final","code":{"text":"x"},"subject":{"reference":"Patient/a"},"meta":{"lastUpdated":"2025-01-01T00:00:00Z"}}""") + "\n");
        CliRunner.AssertOk(await CliRunner.RunAsync("ingest", "files", input, "--lake", PathOf("source"), "--keyring", Keyring));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var keyFile = PathOf("client.pem");
        await File.WriteAllTextAsync(keyFile, key.ExportPkcs8PrivateKeyPem());
        using var output = new StringWriter();
        var source = await LakeOptionSet.OpenAsync(PathOf("source"), Keyring, new CliContext(output, output, interactive: false, TimeProvider.System), CancellationToken.None);
        await using var server = await BulkExportServer.StartAsync(new BulkServerOptions
        {
            Lake = source.Objects,
            RetryAfterSeconds = 0,
            Auth = new SmartAuthOptions { Clients = [RegisteredClient.FromPem("cli", key.ExportSubjectPublicKeyInfoPem())] },
        });

        var (exit, json, error) = await CliRunner.RunAsync("ingest", "bulk", server.BaseUrl, "--type", "Patient", "--client-id", "cli", "--private-key", keyFile,
            "--json", "--lake", PathOf("target"), "--keyring", Keyring);
        Assert.True(exit == ExitCodes.Ok, error);
        using var summary = JsonDocument.Parse(json);
        Assert.Equal(2, summary.RootElement.GetProperty("resources").GetInt32());
        Assert.False(summary.RootElement.GetProperty("resumed").GetBoolean());
        Assert.Contains("kicking off", error, StringComparison.Ordinal);

        var refused = await CliRunner.RunAsync("ingest", "bulk", server.BaseUrl, "--lake", PathOf("target"), "--keyring", Keyring);
        Assert.Equal(ExitCodes.Failure, refused.Exit);
        Assert.Contains("401", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_bulk_refuses_group_with_patient_and_a_key_without_client_id()
    {
        Assert.Equal(ExitCodes.Usage, (await CliRunner.RunAsync("ingest", "bulk", "http://127.0.0.1:1/fhir", "--group", "g", "--patient")).Exit);
        Assert.Equal(ExitCodes.Usage, (await CliRunner.RunAsync("ingest", "bulk", "http://127.0.0.1:1/fhir", "--private-key", "k.pem")).Exit);
    }
}
