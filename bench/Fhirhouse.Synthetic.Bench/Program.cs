using System.Diagnostics;
using System.Globalization;
using Fhirhouse.Synthetic;

// Generation throughput and peak memory of the synthetic hospital, compared in the same run with copying the same
// bytes (the floor any writer of this output pays). Usage: Fhirhouse.Synthetic.Bench PATIENTS [FOLDER]
var patients = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
var root = args.Length > 1 ? args[1] : Path.Combine(Path.GetTempPath(), $"fhirhouse-bench-{Environment.ProcessId}");
var output = Path.Combine(root, "hospital");
var copy = Path.Combine(root, "copy");
Directory.CreateDirectory(copy);
try
{
    var clock = Stopwatch.StartNew();
    var summary = new HospitalGenerator(new HospitalOptions { Patients = patients, Seed = 1 }).Generate(output);
    var generateSeconds = clock.Elapsed.TotalSeconds;
    var peakMb = Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024.0;
    var bytes = Directory.EnumerateFiles(output).Sum(f => new FileInfo(f).Length);

    clock.Restart();
    foreach (var file in Directory.EnumerateFiles(output))
    {
        using var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        using var target = new FileStream(Path.Combine(copy, Path.GetFileName(file)), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
        source.CopyTo(target);
        target.Flush(flushToDisk: true);
    }

    var copySeconds = clock.Elapsed.TotalSeconds;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"patients={patients} resources={summary.Resources} notes={summary.Notes} bytes={bytes / 1e6:F0}MB cores={Environment.ProcessorCount}"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"generate: {generateSeconds:F1} s, {summary.Resources / generateSeconds:F0} resources/s, {bytes / 1e6 / generateSeconds:F0} MB/s, peak working set {peakMb:F0} MB"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"copy of the same files: {copySeconds:F1} s, {bytes / 1e6 / copySeconds:F0} MB/s; generate/copy time ratio {generateSeconds / copySeconds:F1}"));
}
finally
{
    Directory.Delete(root, recursive: true);
}
