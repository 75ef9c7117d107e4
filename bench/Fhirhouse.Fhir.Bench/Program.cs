using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Fhirhouse.Fhir.Views;

// View evaluation throughput of the default views over bulk-10-patients, replicated in memory.
// Usage: dotnet run -c Release --project bench/Fhirhouse.Fhir.Bench -- [DATA_FOLDER] [RESOURCES] [THREADS] [--counts]
// --counts prints the non-null values per view and column over the distinct resources (to compare with node/views.js).
var folder = args.Length > 0 ? args[0] : Path.Combine("..", "shared", "testdata", "fhir", "bulk-10-patients");
var target = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
var threads = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : Environment.ProcessorCount;

var unique = new List<byte[]>();
foreach (var file in Directory.GetFiles(folder, "*.ndjson").Order(StringComparer.Ordinal))
{
    if (Path.GetFileName(file).StartsWith("log", StringComparison.Ordinal))
    {
        continue;
    }

    foreach (var line in File.ReadLines(file))
    {
        if (line.Length > 0)
        {
            unique.Add(System.Text.Encoding.UTF8.GetBytes(line));
        }
    }
}

if (args.Contains("--counts"))
{
    var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
    foreach (var view in DefaultViews.All)
    {
        foreach (var column in view.Columns)
        {
            counts[view.Name + "." + column.Name] = 0;
        }
    }

    foreach (var line in unique)
    {
        using var document = JsonDocument.Parse(line);
        foreach (var view in DefaultViews.All)
        {
            foreach (var row in view.Evaluate(document.RootElement))
            {
                for (var c = 0; c < view.Columns.Count; c++)
                {
                    counts[view.Name + "." + view.Columns[c].Name] += row.Values[c] is null ? 0 : 1;
                }
            }
        }
    }

    foreach (var (key, count) in counts)
    {
        Console.WriteLine($"{key} {count}");
    }

    return;
}

var resources = new byte[target][];
long bytes = 0;
for (var i = 0; i < target; i++)
{
    resources[i] = unique[i % unique.Count];
    bytes += resources[i].Length;
}

Console.WriteLine($"data: {unique.Count} distinct resources from {folder}, replicated to {target:N0} ({bytes / 1e6:F0} MB of NDJSON)");
Console.WriteLine($"views: {string.Join(", ", DefaultViews.Names)}; cores: {Environment.ProcessorCount}");

Run("warm-up (JIT tiers)", resources, 1, parseOnly: false);
Run("1 thread", resources, 1, parseOnly: false);

Run($"{threads} threads", resources, threads, parseOnly: false);
Run("parse only, 1 thread", resources, 1, parseOnly: true);
RunParsed("evaluate only, 1 thread", unique, target);

static void RunParsed(string label, List<byte[]> unique, int target)
{
    var documents = unique.Select(u => JsonDocument.Parse(u)).ToArray();
    var router = new ViewRouter();
    var sink = new CountingSink();
    var watch = Stopwatch.StartNew();
    for (var i = 0; i < target; i++)
    {
        router.Evaluate(documents[i % documents.Length].RootElement, sink);
    }

    watch.Stop();
    var seconds = watch.Elapsed.TotalSeconds;
    Console.WriteLine($"{label,-22} {target / seconds,12:N0} resources/s {sink.Rows / seconds,12:N0} rows/s  ({sink.Rows:N0} rows, {sink.Values:N0} non-null values, {seconds:F2} s)");
    foreach (var document in documents)
    {
        document.Dispose();
    }
}

static void Run(string label, byte[][] resources, int threads, bool parseOnly)
{
    long rows = 0, values = 0, allocated = 0;
    var collections = GC.CollectionCount(0);
    var watch = Stopwatch.StartNew();
    Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
    {
        var router = new ViewRouter();
        var sink = new CountingSink();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = t; i < resources.Length; i += threads)
        {
            using var document = JsonDocument.Parse(resources[i]);
            if (!parseOnly)
            {
                router.Evaluate(document.RootElement, sink);
            }
        }

        Interlocked.Add(ref allocated, GC.GetAllocatedBytesForCurrentThread() - before);
        Interlocked.Add(ref rows, sink.Rows);
        Interlocked.Add(ref values, sink.Values);
    });
    watch.Stop();
    var seconds = watch.Elapsed.TotalSeconds;
    Console.WriteLine($"{label,-22} {resources.Length / seconds,12:N0} resources/s {rows / seconds,12:N0} rows/s  ({rows:N0} rows, {values:N0} non-null values, {seconds:F2} s, {allocated / resources.Length:N0} B allocated per resource, {GC.CollectionCount(0) - collections} gen0 GCs)");
}

/// <summary>Sends each resource to the evaluators of the default views over its type.</summary>
internal sealed class ViewRouter
{
    private readonly Dictionary<string, ViewEvaluator[]> _byType = DefaultViews.All
        .GroupBy(v => v.Resource, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.Select(v => v.CreateEvaluator()).ToArray(), StringComparer.Ordinal);

    public void Evaluate(JsonElement resource, IViewRowSink sink)
    {
        if (_byType.TryGetValue(resource.GetProperty("resourceType").GetString()!, out var evaluators))
        {
            foreach (var evaluator in evaluators)
            {
                evaluator.Evaluate(resource, sink);
            }
        }
    }
}

/// <summary>Reads every value the way a column writer would (typed; text as UTF-8 when it can), counting rows and non-null values.</summary>
internal sealed class CountingSink : IViewRowSink
{
    public long Rows { get; private set; }

    public long Values { get; private set; }

    public void OnRow(ReadOnlySpan<ColumnValue> row)
    {
        Rows++;
        foreach (var value in row)
        {
            if (value.IsNull)
            {
                continue;
            }

            Values++;
            _ = value.Type switch
            {
                ViewColumnType.Boolean => value.GetBoolean() ? 1 : 0,
                ViewColumnType.Integer => value.GetInt64(),
                ViewColumnType.Decimal => (long)value.GetDecimal(),
                _ => value.TryGetUtf8(out var utf8) ? utf8.Length : value.GetString().Length,
            };
        }
    }
}
