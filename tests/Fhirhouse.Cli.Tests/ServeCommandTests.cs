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
}
