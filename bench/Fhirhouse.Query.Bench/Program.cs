using System.Diagnostics;
using System.Globalization;
using System.Text;
using DuckDB.NET.Data;
using Fhirhouse.Delta;
using Fhirhouse.Delta.Transactions;
using Fhirhouse.Fhir.Resources;
using Fhirhouse.Fhir.Views;
using Fhirhouse.Ingest.Files;
using Fhirhouse.Lake.Landing;
using Fhirhouse.Views;
using Fhirhouse.Query;
using Fhirhouse.Storage;
using Fhirhouse.Storage.Encryption;
using Fhirhouse.Storage.Keys.Keyring;
using Fhirhouse.Storage.Local;
using Fhirhouse.Synthetic;

// Usage: dotnet run -c Release --project bench/Fhirhouse.Query.Bench -- [patients=2000] [rounds=7] [guard statements=1000]
// 1. Materialisation: a generated hospital is written straight to an encrypted bronze table, then the nine default
//    views are built from it (read current versions, evaluate, write Delta) and timed by phase.
// 2. SQL latency: questions over the encrypted Delta views through QueryEngine, against DuckDB over the same data
//    files decrypted to plain Parquet in a temp folder (the peer), alternating rounds; medians compared.
// 3. The guard's cost per statement (GuardBench), p50/p99 against the same statements unguarded.
var patients = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2000;
var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 7;
var guardStatements = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1000;
var root = Directory.CreateTempSubdirectory("fhirhouse-query-bench-").FullName;
try
{
    var source = Path.Combine(root, "source");
    var generated = new HospitalGenerator(new HospitalOptions { Patients = patients, Seed = 7 }).Generate(source);
    var plain = new LocalObjectStore(Path.Combine(root, "lake"));
    var keyring = LocalKeyring.Create(Path.Combine(root, "keys", "keyring.json"), MasterKey.CreateKeyFile(Path.Combine(root, "keys", "master.key")));
    IObjectStore lake = new EncryptedObjectStore(plain, keyring);

    var ingestor = await PayloadIngestor.OpenAsync(lake, new IngestOptions());
    var landed = await new FileIngestor(ingestor).IngestAsync(FileIngestor.Resolve(
        generated.Files.Where(f => f.EndsWith(".ndjson", StringComparison.Ordinal) && f != HospitalGenerator.GroundTruthFileName).Select(f => Path.Combine(source, f))));
    var resources = landed.Resources;
    var bronze = ingestor.Bronze;
    Console.WriteLine($"bronze: {resources:N0} resources ({patients} patients), encrypted lake");

    var materializer = await ViewMaterializer.OpenAsync(lake);
    var clock = Stopwatch.StartNew();
    var current = await bronze.ReadCurrentAsync();
    var readSeconds = clock.Elapsed.TotalSeconds;
    var byType = current.Values.GroupBy(r => r.ResourceType).ToDictionary(g => g.Key, g => g.ToList());
    clock.Restart();
    long rows = 0;
    foreach (var view in DefaultViews.All)
    {
        var evaluator = view.CreateEvaluator();
        var sink = new CountingSink();
        foreach (var r in byType.GetValueOrDefault(view.Resource) ?? [])
        {
            evaluator.Evaluate(Encoding.UTF8.GetBytes(r.Resource!), sink);
        }

        rows += sink.Rows;
    }

    var evalSeconds = clock.Elapsed.TotalSeconds;
    clock.Restart();
    var built = await materializer.BuildAsync(DefaultViews.All);
    var buildSeconds = clock.Elapsed.TotalSeconds;
    var evaluated = built.Sum(b => b.Resources);
    Console.WriteLine($"materialise: read current versions from bronze {readSeconds:F2} s ({resources / readSeconds:N0} resources/s)");
    Console.WriteLine($"materialise: evaluate 9 default views only {evalSeconds:F2} s ({evaluated / evalSeconds:N0} resources/s, {rows:N0} rows)");
    Console.WriteLine($"materialise: BuildAsync end to end (read, evaluate, write 9 encrypted Delta tables + fhir_current) {buildSeconds:F2} s ({resources / buildSeconds:N0} resources/s)");

    // The peer's files: every data file of the views, decrypted to plain Parquet.
    var peerFolder = Path.Combine(root, "plain");
    var peerFiles = new Dictionary<string, List<string>>();
    foreach (var name in new[] { "condition", "observation", "encounter", "patient" })
    {
        var table = await DeltaTable.OpenAsync(lake, ViewTables.PathOf(name));
        var snapshot = await table.GetSnapshotAsync();
        peerFiles[name] = [];
        foreach (var file in snapshot.Files)
        {
            var target = Path.Combine(peerFolder, name, file.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await File.WriteAllBytesAsync(target, await lake.ReadAllBytesAsync(table.Path + "/" + Uri.UnescapeDataString(file.Path)));
            peerFiles[name].Add(target);
        }
    }

    string[] questions =
    [
        "SELECT substr(onset, 1, 4) AS year, display, count(DISTINCT patient_id) AS patients FROM condition WHERE onset IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 3 DESC",
        "SELECT substr(o.effective, 1, 4) AS year, avg(o.value) FROM observation o WHERE o.code = '4548-4' AND o.patient_id IN (SELECT patient_id FROM condition WHERE code IN ('44054006', 'E11.9')) GROUP BY 1 ORDER BY 1",
        "SELECT class_code, count(*) FROM encounter GROUP BY 1 ORDER BY 2 DESC",
        "SELECT p.gender, count(*) FROM observation o JOIN patient p ON o.patient_id = p.id GROUP BY 1",
    ];
    using var engine = new QueryEngine(lake, new QueryOptions { Threads = 2 });
    using var peer = new DuckDBConnection("Data Source=:memory:");
    peer.Open();
    using (var setup = peer.CreateCommand())
    {
        setup.CommandText = "SET threads = 2;" + string.Concat(peerFiles.Select(kv =>
            $"CREATE VIEW {kv.Key} AS SELECT * FROM read_parquet([{string.Join(", ", kv.Value.Select(p => "'" + p + "'"))}]);"));
        setup.ExecuteNonQuery();
    }

    Console.WriteLine($"sql: {rounds} alternating rounds after one warm-up, median per question (ours: encrypted Delta through QueryEngine; peer: DuckDB over the plain Parquet files)");
    var ratios = new List<double>();
    foreach (var sql in questions)
    {
        var ours = new List<double>();
        var theirs = new List<double>();
        long ourRows = 0, peerRows = 0;
        for (var round = -1; round < rounds; round++)
        {
            var t = Stopwatch.StartNew();
            ourRows = (await engine.ExecuteAsync(sql)).Rows.Count;
            var a = t.Elapsed.TotalMilliseconds;
            t.Restart();
            using (var command = peer.CreateCommand())
            {
                command.CommandText = sql;
                using var reader = command.ExecuteReader();
                peerRows = 0;
                while (reader.Read())
                {
                    for (var i = 0; i < reader.FieldCount; i++)
                    {
                        _ = reader.IsDBNull(i) ? null : reader.GetValue(i);
                    }

                    peerRows++;
                }
            }

            var b = t.Elapsed.TotalMilliseconds;
            if (round >= 0)
            {
                ours.Add(a);
                theirs.Add(b);
            }
        }

        if (ourRows != peerRows)
        {
            throw new InvalidOperationException($"Different answers: {ourRows} vs {peerRows} rows for {sql}");
        }

        var (mo, mp) = (Median(ours), Median(theirs));
        ratios.Add(mo / mp);
        Console.WriteLine($"  {mo,8:F1} ms vs {mp,8:F1} ms  ratio {mo / mp:F2}  ({ourRows} rows)  {sql[..Math.Min(70, sql.Length)]}...");
    }

    Console.WriteLine($"sql: geometric mean ratio {Math.Exp(ratios.Average(Math.Log)):F2}");
    await GuardBench.RunAsync(lake, guardStatements);
}
finally
{
    Directory.Delete(root, recursive: true);
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted[sorted.Count / 2];
}

internal sealed class CountingSink : IViewRowSink
{
    public long Rows { get; private set; }

    public void OnRow(ReadOnlySpan<ColumnValue> row) => Rows++;
}
