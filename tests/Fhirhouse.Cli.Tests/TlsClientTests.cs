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

    /// <summary>A server certificate for 127.0.0.1 signed by a test CA; the CA's certificate is written as PEM to <paramref name="caFile"/>.</summary>
    private static X509Certificate2 ServerCertificate(string caFile, string host = "127.0.0.1")
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=fhirhouse test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(2));
        File.WriteAllText(caFile, ca.ExportCertificatePem());

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + host, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        if (IPAddress.TryParse(host, out var ip))
        {
            names.AddIpAddress(ip);
        }
        else
        {
            names.AddDnsName(host);
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var issued = request.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), [1, 2, 3, 4]);
        using var withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    [Fact]
    public async Task Ingest_bulk_over_https_is_accepted_with_the_right_ca_and_refused_with_a_wrong_one_or_a_wrong_host_name()
    {
        var input = PathOf("in.ndjson");
        await File.WriteAllTextAsync(input, """{"resourceType":"Patient","id":"a","meta":{"lastUpdated":"2025-01-01T00:00:00Z"}}""" + "\n");
        Assert.Equal(ExitCodes.Ok, (await CliRunner.RunAsync("ingest", "files", input, "--lake", PathOf("source"), "--keyring", Keyring)).Exit);
        using var output = new StringWriter();
        using var source = await LakeOptionSet.OpenAsync(PathOf("source"), Keyring, new CliContext(output, output, interactive: false, TimeProvider.System), CancellationToken.None);
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
