// Drift monitoring (issue 16): 1,000,000 current rows x 50 numeric features over 36 monthly windows against a reference
// of rows / 36 (so the normalised Wasserstein distance applies), WindowMonitor.Run timed with the univariate tests,
// prediction drift and CBPE; then scipy's wasserstein_distance over the same data in the same run (drift.py under
// /usr/bin/python3, fed a temp binary file) for the ratio and the agreement; then the domain classifier timed apart
// on a subset. Seeded.
// dotnet run -c Release --project bench/Fhirhouse.Ml.Bench -- [rows] [features] [windows] [domain-windows]
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Fhirhouse.Ml.Features;
using Fhirhouse.Ml.Monitoring;

var rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
var featureCount = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50;
var windows = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 36;
var domainWindows = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 3;
var referenceRows = rows / windows;
var origin = new DateTimeOffset(2023, 1, 1, 0, 0, 0, TimeSpan.Zero);
var random = new Random(16);
var features = Enumerable.Range(0, featureCount).Select(i => new FeatureDefinition($"f{i:D2}", "bench", FeatureAggregate.Last, $"f{i:D2}", null, null, false)).ToList();

double Gaussian()
{
    var u = 1 - random.NextDouble();
    return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * random.NextDouble());
}

// Every fifth feature drifts slowly (0.01 sd a month), every tenth is lognormal, values to 3 decimals (ties, as lab values have).
(FeatureRow Row, double Score) Row(string patient, DateTimeOffset time, int month)
{
    var values = new object?[featureCount];
    var logit = -1.0;
    for (var f = 0; f < featureCount; f++)
    {
        var z = Gaussian() + (f % 5 == 0 ? 0.01 * month : 0);
        values[f] = Math.Round(f % 10 == 9 ? Math.Exp(z / 2) : 50 + (10 * z), 3);
        logit += f < 5 ? 0.5 * z : 0;
    }

    var p = 1 / (1 + Math.Exp(-logit));
    return (new FeatureRow(patient, time, null, values, random.NextDouble() < p ? 1 : 0), p);
}

var reference = Enumerable.Range(0, referenceRows).Select(i => Row($"r{i}", origin.AddYears(-1).AddMinutes(i), 0)).ToList();
var current = new List<(FeatureRow Row, double Score)>(rows);
var offsets = new long[windows + 1];
for (var w = 0; w < windows; w++)
{
    var month = origin.AddMonths(w);
    var count = (rows / windows) + (w < rows % windows ? 1 : 0);
    var minutes = (month.AddMonths(1) - month).TotalMinutes;
    for (var i = 0; i < count; i++)
    {
        current.Add(Row($"c{w}-{i}", month.AddMinutes(i * minutes / count), w + 1));
    }

    offsets[w + 1] = current.Count;
}

var input = new MonitorInput(features, [.. reference.Select(r => r.Row)], [.. reference.Select(r => r.Score)], [.. current.Select(r => r.Row)], [.. current.Select(r => r.Score)]);
Console.WriteLine($"machine: {Environment.ProcessorCount} cores; {rows:N0} current rows x {featureCount} numeric features over {windows} monthly windows, reference {referenceRows:N0} rows");

var best = double.MaxValue;
MonitoringReport report = null!;
for (var round = 0; round < 3; round++)
{
    var clock = Stopwatch.StartNew();
    report = WindowMonitor.Run(input, new MonitorOptions { DomainClassifier = false });
    best = Math.Min(best, clock.Elapsed.TotalSeconds);
}

var drifted = report.Windows.Sum(w => w.Data!.Features.Count(f => f.Drifted));
Console.WriteLine($"ours, WindowMonitor.Run (univariate tests, prediction drift, CBPE, realised metrics): best of 3 {best:F2} s; {report.Windows.Count} windows, {drifted} drifted feature-windows of {windows * featureCount}, {report.Windows.Count(w => w.Data!.Drifted)} windows with dataset drift; target < 10 s: {(best < 10 ? "met" : "not met")}");

// The same tests in scipy, on the same values.
var file = Path.Combine(Path.GetTempPath(), $"fhirhouse-ml-bench-{Environment.ProcessId}.bin");
try
{
    using (var stream = new BinaryWriter(File.Create(file)))
    {
        stream.Write((long)referenceRows);
        stream.Write((long)featureCount);
        stream.Write((long)windows);
        foreach (var offset in offsets)
        {
            stream.Write(offset);
        }

        for (var f = 0; f < featureCount; f++)
        {
            foreach (var (row, _) in reference)
            {
                stream.Write((double)row.Values[f]!);
            }
        }

        for (var f = 0; f < featureCount; f++)
        {
            foreach (var (row, _) in current)
            {
                stream.Write((double)row.Values[f]!);
            }
        }
    }

    var python = Process.Start(new ProcessStartInfo("/usr/bin/python3", [Path.Combine(AppContext.BaseDirectory, "drift.py"), file]) { RedirectStandardOutput = true })!;
    var json = python.StandardOutput.ReadToEnd();
    python.WaitForExit();
    if (python.ExitCode != 0)
    {
        throw new InvalidOperationException("drift.py failed (are python3-scipy and numpy installed?)");
    }

    using var peer = JsonDocument.Parse(json);
    var seconds = peer.RootElement.GetProperty("seconds").GetDouble();
    var difference = 0.0;
    var w = 0;
    foreach (var window in peer.RootElement.GetProperty("distances").EnumerateArray())
    {
        var f = 0;
        foreach (var distance in window.EnumerateArray())
        {
            difference = Math.Max(difference, Math.Abs(distance.GetDouble() - report.Windows[w].Data!.Features[f++].Score));
        }

        w++;
    }

    Console.WriteLine($"scipy wasserstein_distance / numpy std, same windows: {seconds:F2} s, {peer.RootElement.GetProperty("drifted").GetInt32()} drifted feature-windows; ours {seconds / best:F1}x faster; largest difference of a distance {difference:E1}");
}
finally
{
    File.Delete(file);
}

// The domain classifier apart, on a subset: the first windows, each side sampled to MonitorOptions.DomainClassifierMaxRows.
var subset = input with
{
    Current = [.. input.Current.Take((int)offsets[domainWindows])],
    CurrentScores = [.. input.CurrentScores.Take((int)offsets[domainWindows])],
};
var options = new MonitorOptions();
var timer = Stopwatch.StartNew();
var domain = WindowMonitor.Run(subset, options);
var total = timer.Elapsed.TotalSeconds;
Console.WriteLine($"domain classifier ({options.DomainClassifierFolds} folds, FastTree 50 trees of 8 leaves, one thread; {options.DomainClassifierMaxRows:N0} rows a side): {domainWindows} windows in {total:F2} s (whole run), {total / domainWindows:F2} s a window; AUROC {string.Join(", ", domain.Windows.Select(x => x.DomainAuroc!.Value.ToString("F3", CultureInfo.InvariantCulture)))}");
