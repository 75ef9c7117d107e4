using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using static Fhirhouse.Server.Tests.Resources;

namespace Fhirhouse.Server.Tests;

/// <summary>HTTPS, the URLs the server gives out (never from the Host header), health and readiness.</summary>
public sealed class ServerTransportTests : IDisposable
{
    private readonly TestLake _lake = new();

    public void Dispose() => _lake.Dispose();

    /// <summary>A self-signed server certificate for 127.0.0.1 (the tests' own CA of one), with its key.</summary>
    private static X509Certificate2 LoopbackCertificate(string subject = "CN=fhirhouse test server")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>A client that trusts exactly <paramref name="trusted"/> (as a custom root), checking the host name too.</summary>
    private static HttpClient Trusting(X509Certificate2 trusted) => new(new SocketsHttpHandler
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                CustomTrustStore = { X509CertificateLoader.LoadCertificate(trusted.RawData) },
                RevocationMode = X509RevocationMode.NoCheck,
            },
        },
    });

    [Fact]
    public async Task The_server_answers_over_https_to_a_client_that_trusts_its_certificate_and_is_refused_by_one_that_does_not()
    {
        await _lake.IngestAsync(Patient("p1"));
        using var certificate = LoopbackCertificate();
        using var other = LoopbackCertificate("CN=someone else");
        await using var server = await BulkExportServer.StartAsync(new BulkServerOptions { Lake = _lake.Store, Url = "https://127.0.0.1:0", Certificate = certificate, RetryAfterSeconds = 0 });

        Assert.StartsWith("https://127.0.0.1:", server.BaseUrl, StringComparison.Ordinal);
        using var trusting = Trusting(certificate);
        using var kickOff = await ExportHttp.KickOffAsync(trusting, server.BaseUrl + "/$export");
        var manifest = await ExportHttp.ManifestAsync(trusting, ExportHttp.StatusUrl(kickOff));
        Assert.StartsWith("https://127.0.0.1:", manifest.GetProperty("output")[0].GetProperty("url").GetString(), StringComparison.Ordinal);

        using var wrongCa = Trusting(other);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => wrongCa.GetAsync(server.BaseUrl + "/.well-known/smart-configuration"));
        Assert.IsType<System.Security.Authentication.AuthenticationException>(refused.InnerException);
        using var systemTrust = new HttpClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => systemTrust.GetAsync(server.BaseUrl + "/.well-known/smart-configuration"));
    }

    [Fact]
    public async Task A_forged_Host_header_changes_no_url_the_server_gives_out()
    {
        await _lake.IngestAsync(Patient("p1"));
        await using var server = await BulkExportServer.StartAsync(new BulkServerOptions { Lake = _lake.Store, RetryAfterSeconds = 0 });
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, server.BaseUrl + "/$export");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/fhir+json"));
        request.Headers.Add("Prefer", "respond-async");
        request.Headers.Host = "attacker.example";
        using var kickOff = await http.SendAsync(request);

        var status = ExportHttp.StatusUrl(kickOff);
        Assert.StartsWith(server.BaseUrl + "/_export/", status, StringComparison.Ordinal);
        var manifest = await ExportHttp.ManifestAsync(http, status);
        Assert.StartsWith(server.BaseUrl + "/$export", manifest.GetProperty("request").GetString(), StringComparison.Ordinal);
        Assert.All(manifest.GetProperty("output").EnumerateArray(), o => Assert.StartsWith(server.BaseUrl + "/_export/", o.GetProperty("url").GetString(), StringComparison.Ordinal));

        using var smart = new HttpRequestMessage(HttpMethod.Get, server.BaseUrl + "/.well-known/smart-configuration");
        smart.Headers.Host = "attacker.example";
        using var configuration = await http.SendAsync(smart);
        var text = await configuration.Content.ReadAsStringAsync();
        Assert.DoesNotContain("attacker.example", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_public_base_url_is_what_every_url_is_built_from()
    {
        await _lake.IngestAsync(Patient("p1"));
        var publicBase = new Uri("https://fhir.hospital.example/bulk/fhir");
        await using var server = await BulkExportServer.StartAsync(new BulkServerOptions { Lake = _lake.Store, RetryAfterSeconds = 0, PublicBaseUrl = publicBase });
        Assert.Equal("https://fhir.hospital.example/bulk/fhir", server.BaseUrl);

        using var http = new HttpClient();
        using var kickOff = await ExportHttp.KickOffAsync(http, server.ListenUrl + "/$export?_type=Patient");
        var status = ExportHttp.StatusUrl(kickOff);
        Assert.StartsWith("https://fhir.hospital.example/bulk/fhir/_export/", status, StringComparison.Ordinal);
        var manifest = await ExportHttp.ManifestAsync(http, server.ListenUrl + status["https://fhir.hospital.example/bulk/fhir".Length..]);
        Assert.Equal("https://fhir.hospital.example/bulk/fhir/$export?_type=Patient", manifest.GetProperty("request").GetString());
        Assert.StartsWith("https://fhir.hospital.example/bulk/fhir/_export/", manifest.GetProperty("output")[0].GetProperty("url").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_and_readiness_answer_beside_the_fhir_base()
    {
        await using var server = await BulkExportServer.StartAsync(new BulkServerOptions { Lake = _lake.Store });
        using var http = new HttpClient();
        var root = server.ListenUrl[..^"/fhir".Length];
        Assert.Equal("ok", await http.GetStringAsync(root + "/healthz"));
        Assert.Equal("ready", await http.GetStringAsync(root + "/readyz"));
    }

    [Theory]
    [InlineData("https://127.0.0.1:0", false, "Certificate")]
    [InlineData("http://127.0.0.1:0", true, "plain http")]
    [InlineData("ftp://127.0.0.1:0", false, "http://")]
    public void Transport_settings_that_do_not_fit_are_refused_by_name(string url, bool withCertificate, string named)
    {
        using var certificate = withCertificate ? LoopbackCertificate() : null;
        var e = Assert.Throws<ArgumentException>(() => new BulkServerOptions { Lake = _lake.Store, Url = url, Certificate = certificate }.Validate());
        Assert.Contains(named, e.Message, StringComparison.Ordinal);
    }
}
