using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;
using Fhirhouse.Delta.Actions;
using Fhirhouse.Delta.Schema;
using Fhirhouse.Delta.Transactions;
using Fhirhouse.Storage;
using Fhirhouse.Storage.Local;

namespace Fhirhouse.Delta.Bench;

/// <summary>Commit latency, snapshot load over many commits, and 1M-row write/scan against DuckDB on plain Parquet.</summary>
internal static class Benchmarks
{
    private static readonly StructType s_rows = new(
        new StructField("id", PrimitiveType.Long, Nullable: false),
        new StructField("name", PrimitiveType.String),
        new StructField("value", PrimitiveType.Double),
        new StructField("born", PrimitiveType.Date),
        new StructField("seen", PrimitiveType.Timestamp));

    public static async Task<int> RunAsync(string[] args)
    {
        var rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
        var commits = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
        var root = Path.Combine(Path.GetTempPath(), "fhirhouse-delta-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        try
        {
            Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
            await CommitLatencyAsync(new LocalObjectStore(Path.Combine(root, "latency")));
            await SnapshotLoadAsync(new LocalObjectStore(Path.Combine(root, "snapshot")), commits);
            await WriteAndScanAsync(root, rows);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }

        return 0;
    }

    private static async Task CommitLatencyAsync(IObjectStore store)
    {
        const int N = 300;
        var table = await DeltaTable.CreateAsync(store, "t", s_rows, options: new DeltaTableOptions { CheckpointInterval = int.MaxValue });
        var commitTimes = new List<double>();
        for (var i = 0; i < N; i++)
        {
            var transaction = new Transaction(table, await table.GetSnapshotAsync(), "WRITE");
            transaction.Add(new AddFile($"f{i}.parquet", new Dictionary<string, string?>(), 100, 1, true, "{\"numRecords\":1}"));
            var sw = Stopwatch.StartNew();
            await transaction.CommitAsync(default);
            commitTimes.Add(sw.Elapsed.TotalMilliseconds);
        }

        var putTimes = new List<double>();
        var bytes = new byte[600];
        for (var i = 0; i < N; i++)
        {
            var sw = Stopwatch.StartNew();
            await store.PutIfAbsentAsync($"raw/{i:D20}.json", bytes);
            putTimes.Add(sw.Elapsed.TotalMilliseconds);
        }

        var endToEnd = new List<double>();
        var appendTable = await DeltaTable.CreateAsync(store, "append", s_rows);
        for (var i = 0; i < 100; i++)
        {
            var sw = Stopwatch.StartNew();
            await appendTable.AppendAsync([Row(i)]);
            endToEnd.Add(sw.Elapsed.TotalMilliseconds);
        }

        Console.WriteLine($"commit (put-if-absent of the next version, fsync), {N} commits: p50 {P(commitTimes, 50):F2} ms, p99 {P(commitTimes, 99):F2} ms");
        Console.WriteLine($"  peer: bare store put-if-absent of 600 B (fsync), {N} puts: p50 {P(putTimes, 50):F2} ms, p99 {P(putTimes, 99):F2} ms; ratio p50 {P(commitTimes, 50) / P(putTimes, 50):F2}x");
        Console.WriteLine($"append of 1 row end to end (snapshot load, Parquet file, commit, checkpoint every 10), 100 appends: p50 {P(endToEnd, 50):F2} ms, p99 {P(endToEnd, 99):F2} ms");
    }

    private static async Task SnapshotLoadAsync(IObjectStore store, int commits)
    {
        var sw = Stopwatch.StartNew();
        var table = await DeltaTable.CreateAsync(store, "t", s_rows, options: new DeltaTableOptions { CheckpointInterval = 100 });
        for (var i = 1; i <= commits; i++)
        {
            var transaction = new Transaction(table, await table.GetSnapshotAsync(), "WRITE");
            transaction.Add(new AddFile($"part-{i:D6}.parquet", new Dictionary<string, string?>(), 1000, 1, true, "{\"numRecords\":10}"));
            if (i % 3 == 0)
            {
                transaction.Add(new RemoveFile($"part-{i - 1:D6}.parquet", 1, true));
            }

            await transaction.CommitAsync(default);
        }

        var build = sw.Elapsed;
        var loads = new List<double>();
        var listings = new List<double>();
        for (var i = 0; i < 7; i++)
        {
            var fresh = await DeltaTable.OpenAsync(store, "t");
            sw.Restart();
            var loaded = await fresh.GetSnapshotAsync();
            loads.Add(sw.Elapsed.TotalMilliseconds);
            if (loaded.Version != commits)
            {
                throw new InvalidOperationException($"loaded version {loaded.Version}, expected {commits}");
            }

            sw.Restart();
            var count = 0;
            await foreach (var _ in store.ListAsync("t/_delta_log/"))
            {
                count++;
            }

            listings.Add(sw.Elapsed.TotalMilliseconds);
        }

        var last = await (await DeltaTable.OpenAsync(store, "t")).GetSnapshotAsync();
        Console.WriteLine($"snapshot load (GetSnapshotAsync: list, checkpoint, commits after it), {commits} commits, checkpoint every 100 ({last.Files.Count} live files, built in {build.TotalSeconds:F0} s): median of 7 loads {P(loads, 50):F1} ms (max {loads.Max():F1} ms)");
        Console.WriteLine($"  of which listing _delta_log ({commits + (commits / 100) + 2} objects): median {P(listings, 50):F1} ms");
    }

    private static async Task WriteAndScanAsync(string root, int n)
    {
        var rows = Enumerable.Range(0, n).Select(Row).ToList();
        var store = new LocalObjectStore(Path.Combine(root, "big"));
        var table = await DeltaTable.CreateAsync(store, "t", s_rows);
        var sw = Stopwatch.StartNew();
        await table.AppendAsync(rows);
        var ourWrite = sw.Elapsed.TotalSeconds;

        sw.Restart();
        var snapshot = await table.GetSnapshotAsync();
        long count = 0, ids = 0, nameChars = 0;
        await foreach (var row in snapshot.ReadRowsAsync())
        {
            count++;
            ids += (long)row[0]!;
            nameChars += ((string?)row[1])?.Length ?? 0;
        }

        var ourScan = sw.Elapsed.TotalSeconds;
        var duckFile = Path.Combine(root, "duck.parquet");
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        sw.Restart();
        Execute(connection, $"""
            COPY (SELECT i::BIGINT AS id, CASE WHEN i % 5 = 0 THEN NULL ELSE 'name-' || i END AS name, i * 0.5 AS value,
                         DATE '1950-01-01' + (i % 20000)::INTEGER AS born,
                         TIMESTAMPTZ '2025-06-01 12:00:00+00' + to_microseconds(i * 1000) AS seen
                  FROM range({n}) t(i))
            TO '{duckFile}' (FORMAT parquet, COMPRESSION snappy)
            """);
        var duckWrite = sw.Elapsed.TotalSeconds;
        sw.Restart();
        var duckCount = Execute(connection, $"SELECT count(*), sum(id), sum(length(name)), max(value), max(born), max(seen) FROM read_parquet('{duckFile}')");
        var duckScan = sw.Elapsed.TotalSeconds;
        sw.Restart();
        long duckRows = 0;
        using (var command = connection.CreateCommand())
        {
            command.CommandText = $"SELECT * FROM read_parquet('{duckFile}')";
            using var reader = command.ExecuteReader();
            var values = new object[reader.FieldCount];
            while (reader.Read())
            {
                reader.GetValues(values);
                duckRows++;
            }
        }

        var duckToDotnet = sw.Elapsed.TotalSeconds;
        if (count != n || duckCount != n || duckRows != n)
        {
            throw new InvalidOperationException($"scanned {count} and {duckCount} rows, expected {n}");
        }

        Console.WriteLine($"write {n:N0} rows x 5 columns: Fhirhouse.Delta {ourWrite:F2} s ({n / ourWrite:N0} rows/s), DuckDB COPY TO parquet {duckWrite:F2} s; ratio {ourWrite / duckWrite:F1}x");
        Console.WriteLine($"scan  {n:N0} rows, every column: Fhirhouse.Delta {ourScan:F2} s ({n / ourScan:N0} rows/s), DuckDB read_parquet aggregate {duckScan:F2} s; ratio {ourScan / duckScan:F1}x (checksum {ids + nameChars})");
        Console.WriteLine($"  peer: DuckDB read_parquet into .NET rows (DbDataReader.GetValues) {duckToDotnet:F2} s; ratio {ourScan / duckToDotnet:F1}x");
    }

    private static object?[] Row(int i) =>
    [
        (long)i, i % 5 == 0 ? null : "name-" + i.ToString(CultureInfo.InvariantCulture), i * 0.5,
        new DateOnly(1950, 1, 1).AddDays(i % 20000), new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero).AddMilliseconds(i),
    ];

    private static long Execute(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        return reader.Read() ? Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture) : 0;
    }

    /// <summary>The <paramref name="percentile"/>th percentile of <paramref name="values"/> (nearest rank).</summary>
    internal static double P(List<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        var index = (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Count - 1)];
    }
}
