// Bulk Data round trip: a generated hospital ingested from files into lake A (the peer), exported by our server and
// re-imported by our client into lake B. Prints resources/s of each stage and the ratio against the file ingest.
// dotnet run -c Release --project bench/Fhirhouse.Server.Bench -- [patients] [parallelism]
// With "tls [patients] [rounds]": HTTPS against plain HTTP for the same export on loopback (TlsThroughput).
using System.Diagnostics;
using Fhirhouse.Ingest.Files;
using Fhirhouse.Lake.Landing;
using Fhirhouse.Ingest.Sources.Bulk;
using Fhirhouse.Server;
using Fhirhouse.Storage.Local;
using Fhirhouse.Synthetic;

if (args.FirstOrDefault() == "tls")
{
    await TlsThroughput.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2000, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 3);
    return;
}

var patients = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 10_000;
var parallelism = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 4;
var root = Path.Combine(Path.GetTempPath(), "fhirhouse-bulk-bench-" + Environment.ProcessId);
try
{
    var generated = new HospitalGenerator(new HospitalOptions { Patients = patients, Seed = 1 }).Generate(Path.Combine(root, "hospital"));
    Console.WriteLine($"hospital: {patients} patients, {generated.Resources} resources, {generated.Files.Count} files");

    var source = new LocalObjectStore(Path.Combine(root, "lake-a"));
    var clock = Stopwatch.StartNew();
    var ingested = await new FileIngestor(await PayloadIngestor.OpenAsync(source, new IngestOptions()))
        .IngestAsync(FileIngestor.Resolve(generated.Files.Select(f => Path.Combine(root, "hospital", f))));
    var fileSeconds = clock.Elapsed.TotalSeconds;
    Console.WriteLine($"ingest files (peer): {ingested.Resources} resources in {fileSeconds:F1} s = {ingested.Resources / fileSeconds:F0} resources/s");

    await using var server = await BulkExportServer.StartAsync(new BulkServerOptions { Lake = source, RetryAfterSeconds = 1, ResourcesPerFile = 50_000 });
    var target = new LocalObjectStore(Path.Combine(root, "lake-b"));
    using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(10) };
    using var client = new BulkExportClient(http, target, await PayloadIngestor.OpenAsync(target, new IngestOptions()), new BulkExportOptions
    {
        BaseUrl = new Uri(server.BaseUrl),
        Parallelism = parallelism,
        PollInterval = TimeSpan.FromMilliseconds(200),
    });
    double? exportSeconds = null;
    clock.Restart();
    var result = await client.RunAsync(new Progress(m =>
    {
        if (m.StartsWith("export complete", StringComparison.Ordinal))
        {
            exportSeconds = clock.Elapsed.TotalSeconds;
        }
    }));
    var totalSeconds = clock.Elapsed.TotalSeconds;
    var resources = result.Summary.Resources;
    Console.WriteLine($"server export (kick-off to manifest, Retry-After 1 s): {exportSeconds:F1} s = {resources / exportSeconds:F0} resources/s");
    Console.WriteLine($"download + re-import: {totalSeconds - exportSeconds:F1} s = {resources / (totalSeconds - exportSeconds):F0} resources/s");
    Console.WriteLine($"bulk round trip: {resources} resources in {totalSeconds:F1} s = {resources / totalSeconds:F0} resources/s; ratio to ingest files: {fileSeconds / totalSeconds:F2}");
    Console.WriteLine($"peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / (1 << 20)} MiB");
}
finally
{
    Directory.Delete(root, recursive: true);
}

internal sealed class Progress(Action<string> report) : IProgress<string>
{
    public void Report(string value) => report(value);
}
