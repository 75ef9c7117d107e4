using System.Diagnostics;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Fhirhouse.Ingest.Files;
using Fhirhouse.Lake.Landing;
using Fhirhouse.Server;
using Fhirhouse.Storage.Local;
using Fhirhouse.Synthetic;

/// <summary>
/// HTTPS against plain HTTP on loopback for one Bulk Data export: the same lake served by two servers (one with a
/// certificate), each export kicked off, polled to its manifest and every file downloaded to nowhere, in alternating
/// rounds; the ratio is the cost of TLS on the export path.
/// </summary>
internal static class TlsThroughput
{
    public static async Task RunAsync(int patients, int rounds)
    {
        var root = Path.Combine(Path.GetTempPath(), "fhirhouse-tls-bench-" + Environment.ProcessId);
        try
        {
            var generated = new HospitalGenerator(new HospitalOptions { Patients = patients, Seed = 1 }).Generate(Path.Combine(root, "hospital"));
            var lake = new LocalObjectStore(Path.Combine(root, "lake"));
            var ingested = await new FileIngestor(await PayloadIngestor.OpenAsync(lake, new IngestOptions()))
                .IngestAsync(FileIngestor.Resolve(generated.Files.Where(f => f.EndsWith(".ndjson", StringComparison.Ordinal) && !f.Contains("ground-truth", StringComparison.Ordinal)).Select(f => Path.Combine(root, "hospital", f))));
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(System.Net.IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            await using var plain = await BulkExportServer.StartAsync(new BulkServerOptions { Lake = lake, RetryAfterSeconds = 0, ResourcesPerFile = 50_000 });
            await using var tls = await BulkExportServer.StartAsync(new BulkServerOptions { Lake = lake, RetryAfterSeconds = 0, ResourcesPerFile = 50_000, Url = "https://127.0.0.1:0", Certificate = certificate });
            using var trusting = new HttpClient(new SocketsHttpHandler
            {
                SslOptions = new SslClientAuthenticationOptions
                {
                    CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, CustomTrustStore = { certificate }, RevocationMode = X509RevocationMode.NoCheck },
                },
            }) { Timeout = TimeSpan.FromMinutes(10) };
            Console.WriteLine($"machine: {Environment.ProcessorCount} cores; {ingested.Resources} resources ({patients} patients), {rounds} alternating rounds, files downloaded one at a time");
            var http = new List<(double Seconds, long Bytes)>();
            var https = new List<(double Seconds, long Bytes)>();
            for (var round = 0; round < rounds; round++)
            {
                http.Add(await ExportAsync(trusting, plain.BaseUrl));
                https.Add(await ExportAsync(trusting, tls.BaseUrl));
            }

            var (bh, bs) = (http.MinBy(r => r.Seconds), https.MinBy(r => r.Seconds));
            Console.WriteLine($"http:  best {bh.Seconds:F2} s, {bh.Bytes / bh.Seconds / 1e6:F0} MB/s, {ingested.Resources / bh.Seconds:F0} resources/s");
            Console.WriteLine($"https: best {bs.Seconds:F2} s, {bs.Bytes / bs.Seconds / 1e6:F0} MB/s, {ingested.Resources / bs.Seconds:F0} resources/s; ratio https/http {bs.Seconds / bh.Seconds:F2}x");
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    private static async Task<(double Seconds, long Bytes)> ExportAsync(HttpClient http, string baseUrl)
    {
        var clock = Stopwatch.StartNew();
        using var kickOff = new HttpRequestMessage(HttpMethod.Get, baseUrl + "/$export");
        kickOff.Headers.Add("Accept", "application/fhir+json");
        kickOff.Headers.Add("Prefer", "respond-async");
        using var started = await http.SendAsync(kickOff);
        var status = started.Content.Headers.ContentLocation?.OriginalString ?? started.Headers.GetValues("Content-Location").Single();
        JsonElement manifest;
        while (true)
        {
            using var poll = await http.GetAsync(status);
            if (poll.StatusCode == System.Net.HttpStatusCode.OK)
            {
                manifest = JsonDocument.Parse(await poll.Content.ReadAsStringAsync()).RootElement.Clone();
                break;
            }

            await Task.Delay(50);
        }

        long bytes = 0;
        var buffer = new byte[1 << 16];
        foreach (var file in manifest.GetProperty("output").EnumerateArray())
        {
            await using var body = await http.GetStreamAsync(file.GetProperty("url").GetString());
            int n;
            while ((n = await body.ReadAsync(buffer)) > 0)
            {
                bytes += n;
            }
        }

        return (clock.Elapsed.TotalSeconds, bytes);
    }
}
