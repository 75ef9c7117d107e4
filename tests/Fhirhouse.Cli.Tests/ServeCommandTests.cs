using System.Diagnostics;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Fhirhouse.Synthetic;
using Fhirhouse.Testing;

namespace Fhirhouse.Cli.Tests;

/// <summary><c>fhirhouse serve</c> as its own process: HTTPS on a free loopback port, answered, stopped by SIGTERM.</summary>
public sealed class ServeCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string[] Lake => ["--lake", Path.Combine(_folder.Path, "lake"), "--keyring", Path.Combine(_folder.Path, "keys", "keyring.json")];

    [Fact]
    public async Task Serve_answers_over_https_with_its_development_certificate_and_stops_gracefully_on_SIGTERM()
    {
        var hospital = Path.Combine(_folder.Path, "hospital");
        var generated = new HospitalGenerator(new HospitalOptions { Patients = 4, Seed = 3 }).Generate(hospital);
        var ingest = await CliRunner.RunAsync(["ingest", "files", .. generated.Files.Select(f => Path.Combine(hospital, f)), .. Lake]);
        Assert.True(ingest.Exit == 0, ingest.Error);

        using var process = CliRunner.StartProcess(["serve", "--listen", "https://127.0.0.1:0", "--role", "admin", "--purpose", "operations", .. Lake]);
        var error = process.StandardError.ReadToEndAsync();
        string? baseUrl;
        try
        {
            baseUrl = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(baseUrl is not null, "serve printed no URL: " + (process.HasExited ? await error : "(still running)"));
            Assert.StartsWith("https://127.0.0.1:", baseUrl, StringComparison.Ordinal);

            // The development certificate is beside the keyring; a client that trusts that file (and nothing else) connects.
            var certificate = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(_folder.Path, "keys", "dev-https.pem"));
            using var http = new HttpClient(new SocketsHttpHandler
            {
                SslOptions = new SslClientAuthenticationOptions
                {
                    CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, CustomTrustStore = { certificate }, RevocationMode = X509RevocationMode.NoCheck },
                },
            });
            Assert.Equal("ready", await http.GetStringAsync(baseUrl[..^"/fhir".Length] + "/readyz"));
            using var request = new HttpRequestMessage(HttpMethod.Get, baseUrl + "/$export?_type=Patient");
            request.Headers.Add("Accept", "application/fhir+json");
            request.Headers.Add("Prefer", "respond-async");
            using var kickOff = await http.SendAsync(request);
            Assert.Equal(System.Net.HttpStatusCode.Accepted, kickOff.StatusCode);
            var status = kickOff.Content.Headers.ContentLocation?.OriginalString ?? kickOff.Headers.GetValues("Content-Location").Single();
            JsonElement? manifest = null;
            for (var i = 0; i < 300 && manifest is null; i++)
            {
                using var poll = await http.GetAsync(status);
                if (poll.StatusCode == System.Net.HttpStatusCode.OK)
                {
                    manifest = JsonDocument.Parse(await poll.Content.ReadAsStringAsync()).RootElement.Clone();
                }
                else
                {
                    await Task.Delay(100);
                }
            }

            Assert.NotNull(manifest);
            var file = manifest.Value.GetProperty("output")[0].GetProperty("url").GetString()!;
            var lines = (await http.GetStringAsync(file)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(4, lines.Length);

            // A client that trusts only the system's roots refuses the self-signed certificate.
            using var systemTrust = new HttpClient();
            await Assert.ThrowsAsync<HttpRequestException>(() => systemTrust.GetAsync(baseUrl[..^"/fhir".Length] + "/healthz"));
        }
        finally
        {
            if (!process.HasExited)
            {
                using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                await kill.WaitForExitAsync();
            }
        }

        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var messages = await error;
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {messages}");
        Assert.Contains("self-signed development certificate for loopback only", messages, StringComparison.Ordinal);
        Assert.Contains("serve: stopped", messages, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://0.0.0.0:8443", "loopback only")]
    [InlineData("http://10.1.2.3:8080", "unencrypted")]
    [InlineData("https://127.0.0.1:8443/fhir", "not an address to listen on")]
    public async Task Addresses_it_must_not_serve_are_refused_as_usage_before_anything_starts(string listen, string named)
    {
        var (exit, _, error) = await CliRunner.RunAsync(["serve", "--listen", listen, "--role", "admin", "--purpose", "operations", .. Lake]);
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains(named, error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_folder.Path, "lake")));
    }

    [Fact]
    public async Task Serve_with_clients_in_the_identity_store_requires_their_tokens_and_drops_a_removed_client_without_restart()
    {
        var hospital = Path.Combine(_folder.Path, "hospital");
        var generated = new HospitalGenerator(new HospitalOptions { Patients = 4, Seed = 3 }).Generate(hospital);
        Assert.Equal(0, (await CliRunner.RunAsync(["ingest", "files", .. generated.Files.Select(f => Path.Combine(hospital, f)), .. Lake])).Exit);
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP384);
        var privateKey = Path.Combine(_folder.Path, "client.pem");
        var publicKey = Path.Combine(_folder.Path, "client.pub.pem");
        await File.WriteAllTextAsync(privateKey, key.ExportPkcs8PrivateKeyPem());
        await File.WriteAllTextAsync(publicKey, key.ExportSubjectPublicKeyInfoPem());
        string[] admin = ["--role", "admin", "--purpose", "operations"];
        string[] register = ["clients", "add", "ward-app", "--public-key", publicKey, "--client-role", "clinician", "--client-purpose", "treatment"];

        var refused = await CliRunner.RunAsync([.. register, "--role", "analyst", "--purpose", "operations", .. Lake]);
        Assert.Equal(ExitCodes.Failure, refused.Exit);
        Assert.Contains("'identities-manage'", refused.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, (await CliRunner.RunAsync(["clients", "add", "x", "--public-key", privateKey, "--client-role", "clinician", "--client-purpose", "treatment", .. admin, .. Lake])).Exit);
        var added = await CliRunner.RunAsync([.. register, .. admin, .. Lake]);
        Assert.True(added.Exit == 0, added.Error);
        Assert.StartsWith("ward-app\tclinician/treatment\tsystem/*.read", (await CliRunner.RunAsync(["clients", "list", .. admin, .. Lake])).Out, StringComparison.Ordinal);

        using var process = CliRunner.StartProcess(["serve", "--listen", "https://127.0.0.1:0", .. admin, .. Lake]);
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            var baseUrl = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(baseUrl is not null, "serve printed no URL: " + (process.HasExited ? await error : "(still running)"));
            var ca = Path.Combine(_folder.Path, "keys", "dev-https.pem");
            string[] bulk = ["ingest", "bulk", baseUrl, "--type", "Patient", "--client-id", "ward-app", "--private-key", privateKey, "--ca-bundle", ca,
                "--lake", Path.Combine(_folder.Path, "target"), "--keyring", Path.Combine(_folder.Path, "keys", "keyring.json")];

            var anonymous = await CliRunner.RunAsync(["ingest", "bulk", baseUrl, "--type", "Patient", "--ca-bundle", ca, "--lake", Path.Combine(_folder.Path, "other"), "--keyring", Path.Combine(_folder.Path, "keys", "keyring.json")]);
            Assert.Equal(ExitCodes.Failure, anonymous.Exit);
            Assert.Contains("401", anonymous.Error, StringComparison.Ordinal);

            var exported = await CliRunner.RunAsync([.. bulk, "--json"]);
            Assert.True(exported.Exit == 0, exported.Error);
            Assert.Equal(4, JsonDocument.Parse(exported.Out).RootElement.GetProperty("resources").GetInt32());

            Assert.Equal(0, (await CliRunner.RunAsync(["clients", "remove", "ward-app", .. admin, .. Lake])).Exit);
            var gone = false;
            for (var attempt = 0; attempt < 15 && !gone; attempt++)
            {
                await Task.Delay(1000);
                var again = await CliRunner.RunAsync(bulk);
                gone = again.Exit != 0 && again.Error.Contains("not registered", StringComparison.Ordinal);
            }

            Assert.True(gone, "the removed client still got tokens");
        }
        finally
        {
            if (!process.HasExited)
            {
                using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                await kill.WaitForExitAsync();
            }
        }

        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var messages = await error;
        Assert.Contains("1 registered clients (SMART Backend Services", messages, StringComparison.Ordinal);
        var audit = await CliRunner.RunAsync(["audit", "list", "--json", .. admin, .. Lake]);
        Assert.Contains("identities add client ward-app as clinician/treatment", audit.Out, StringComparison.Ordinal);
        Assert.Contains("identities remove client ward-app", audit.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_network_address_with_a_certificate_is_refused_while_no_client_is_registered()
    {
        Directory.CreateDirectory(Path.Combine(_folder.Path, "lake"));
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var request = new CertificateRequest("CN=fhir.example", key, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var cert = Path.Combine(_folder.Path, "server.pem");
        var keyFile = Path.Combine(_folder.Path, "server.key");
        await File.WriteAllTextAsync(cert, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyFile, key.ExportPkcs8PrivateKeyPem());

        var (exit, _, error) = await CliRunner.RunAsync(["serve", "--listen", "https://0.0.0.0:0", "--cert", cert, "--key", keyFile, "--role", "admin", "--purpose", "operations", .. Lake]);
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("needs registered clients", error, StringComparison.Ordinal);
        Assert.Contains("fhirhouse clients add", error, StringComparison.Ordinal);
    }
}
