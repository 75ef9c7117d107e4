using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Fhirhouse.Cli.Commands;
using Fhirhouse.Server;
using Fhirhouse.Testing;

namespace Fhirhouse.Cli.Tests;

/// <summary>The clients' TLS rule: certificates verified against the system's roots or a CA bundle; plain http only to loopback.</summary>
public sealed class TlsClientTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Keyring => Path.Combine(_folder.Path, "keys", "keyring.json");

    private string PathOf(string name) => Path.Combine(_folder.Path, name);

    /// <summary>A server certificate for <paramref name="host"/> signed by a test CA of its own, whose certificate is written as PEM to <paramref name="caFile"/>.</summary>
    private static X509Certificate2 ServerCertificate(string caFile, string host = "127.0.0.1")
    {
        using var ca = new TestCertificates();
        ca.WriteAuthority(caFile);
        return ca.Server(host);
    }

    private async Task<LakeStoreHandle> SourceLakeAsync()
    {
        var input = PathOf("in.ndjson");
        await File.WriteAllTextAsync(input, """{"resourceType":"Patient","id":"a","meta":{"lastUpdated":"2025-01-01T00:00:00Z"}}""" + "\n");
        CliRunner.AssertOk(await CliRunner.RunAsync("ingest", "files", input, "--lake", PathOf("source"), "--keyring", Keyring));
        var output = new StringWriter();
        return new LakeStoreHandle(await LakeOptionSet.OpenAsync(PathOf("source"), Keyring, new CliContext(output, output, interactive: false, TimeProvider.System), CancellationToken.None), output);
    }

    [Fact]
    public async Task Ingest_bulk_refuses_a_server_whose_certificate_has_expired()
    {
        using var source = await SourceLakeAsync();
        using var ca = new TestCertificates();
        using var expired = ca.Server("127.0.0.1", DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddDays(-1));
        await using var server = await BulkExportServer.StartAsync(new BulkServerOptions { Lake = source.Lake.Objects, RetryAfterSeconds = 0, Url = "https://127.0.0.1:0", Certificate = expired });

        var refused = await CliRunner.RunAsync("ingest", "bulk", server.BaseUrl, "--ca-bundle", ca.WriteAuthority(PathOf("ca.pem")), "--lake", PathOf("target"), "--keyring", Keyring);
        Assert.Equal(ExitCodes.Failure, refused.Exit);
        Assert.Contains("SSL", refused.Error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_server_that_hands_out_plain_http_urls_to_a_network_address_is_not_followed()
    {
        using var source = await SourceLakeAsync();
        using var ca = new TestCertificates();
        using var certificate = ca.Server("127.0.0.1");
        await using var server = await BulkExportServer.StartAsync(new BulkServerOptions
        {
            Lake = source.Lake.Objects,
            RetryAfterSeconds = 0,
            Url = "https://127.0.0.1:0",
            Certificate = certificate,
            PublicBaseUrl = new Uri("http://10.255.255.1:9/fhir"),
        });
        var kickOff = server.ListenUrl;

        var refused = await CliRunner.RunAsync("ingest", "bulk", kickOff, "--ca-bundle", ca.WriteAuthority(PathOf("ca.pem")), "--lake", PathOf("target"), "--keyring", Keyring);
        Assert.Equal(ExitCodes.Usage, refused.Exit);
        Assert.Contains("http://10.255.255.1:9", refused.Error, StringComparison.Ordinal);
        Assert.Contains("unencrypted", refused.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mutual_tls_is_accepted_with_a_client_certificate_of_the_servers_ca_and_refused_without_one_or_with_another()
    {
        using var source = await SourceLakeAsync();
        using var ca = new TestCertificates();
        using var strangers = new TestCertificates("strangers' CA");
        using var serverCertificate = ca.Server("127.0.0.1");
        await using var server = await BulkExportServer.StartAsync(new BulkServerOptions
        {
            Lake = source.Lake.Objects,
            RetryAfterSeconds = 0,
            Url = "https://127.0.0.1:0",
            Certificate = serverCertificate,
            ClientCertificateAuthorities = [ca.Authority],
        });
        var trust = ca.WriteAuthority(PathOf("ca.pem"));
        using var mine = ca.Client("ward-interface");
        using var theirs = strangers.Client("ward-interface");
        var (cert, key) = TestCertificates.WritePem(mine, _folder.Path, "mine");
        var (otherCert, otherKey) = TestCertificates.WritePem(theirs, _folder.Path, "theirs");

        var (exit, json, error) = await CliRunner.RunAsync("ingest", "bulk", server.BaseUrl, "--ca-bundle", trust, "--client-cert", cert, "--client-key", key, "--json", "--lake", PathOf("target"), "--keyring", Keyring);
        Assert.True(exit == ExitCodes.Ok, error);
        Assert.Equal(1, JsonDocument.Parse(json).RootElement.GetProperty("resources").GetInt32());

        foreach (var presented in new[] { Array.Empty<string>(), ["--client-cert", otherCert, "--client-key", otherKey] })
        {
            // Under TLS 1.3 the server refuses the client's certificate after the handshake: the client sees the
            // connection drop, which it cannot tell from a network failure, so it would retry; here it does not.
            var refused = await CliRunner.RunAsync(["ingest", "bulk", server.BaseUrl, "--ca-bundle", trust, .. presented, "--retries", "0", "--lake", PathOf("refused"), "--keyring", Keyring]);
            Assert.Equal(ExitCodes.Failure, refused.Exit);
        }
    }

    private sealed record LakeStoreHandle(Fhirhouse.Storage.Lake.LakeStore Lake, StringWriter Output) : IDisposable
    {
        public void Dispose()
        {
            Lake.Dispose();
            Output.Dispose();
        }
    }

    [Fact]
    public async Task Ingest_bulk_over_https_is_accepted_with_the_right_ca_and_refused_with_a_wrong_one_or_a_wrong_host_name()
    {
        using var handle = await SourceLakeAsync();
        var source = handle.Lake;
        using var certificate = ServerCertificate(PathOf("ca.pem"));
        using var otherCa = ServerCertificate(PathOf("other-ca.pem"));
        using var misnamed = ServerCertificate(PathOf("misnamed-ca.pem"), host: "ehr.example.org");
        await using var server = await BulkExportServer.StartAsync(new BulkServerOptions { Lake = source.Objects, RetryAfterSeconds = 0, Url = "https://127.0.0.1:0", Certificate = certificate });
        await using var wrongName = await BulkExportServer.StartAsync(new BulkServerOptions { Lake = source.Objects, RetryAfterSeconds = 0, Url = "https://127.0.0.1:0", Certificate = misnamed });

        var (exit, json, error) = await CliRunner.RunAsync("ingest", "bulk", server.BaseUrl, "--ca-bundle", PathOf("ca.pem"), "--json", "--lake", PathOf("target"), "--keyring", Keyring);
        Assert.True(exit == ExitCodes.Ok, error);
        Assert.Equal(1, JsonDocument.Parse(json).RootElement.GetProperty("resources").GetInt32());

        foreach (var (url, bundle) in new[] { (server.BaseUrl, (string?)null), (server.BaseUrl, PathOf("other-ca.pem")), (wrongName.BaseUrl, PathOf("misnamed-ca.pem")) })
        {
            string[] trust = bundle is null ? [] : ["--ca-bundle", bundle];
            var refused = await CliRunner.RunAsync(["ingest", "bulk", url, .. trust, "--lake", PathOf("refused"), "--keyring", Keyring]);
            Assert.Equal(ExitCodes.Failure, refused.Exit);
            Assert.Contains("SSL", refused.Error, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Theory]
    [InlineData("bulk")]
    [InlineData("rest")]
    public async Task Plain_http_to_a_network_address_is_refused_unless_allowed(string source)
    {
        string[] lake = source == "rest" ? ["--type", "Patient", "--lake", PathOf("lake"), "--keyring", Keyring] : ["--lake", PathOf("lake"), "--keyring", Keyring];
        var refused = await CliRunner.RunAsync(["ingest", source, "http://10.255.255.1:9/fhir", .. lake]);
        Assert.Equal(ExitCodes.Usage, refused.Exit);
        Assert.Contains("unencrypted", refused.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(PathOf("lake")));

        var missing = await CliRunner.RunAsync(["ingest", source, "https://127.0.0.1:9/fhir", "--ca-bundle", PathOf("nope.pem"), .. lake]);
        Assert.Equal(ExitCodes.Usage, missing.Exit);
        Assert.Contains("nope.pem", missing.Error, StringComparison.Ordinal);
    }
}
