using System.Diagnostics;
using System.Globalization;
using Fhirhouse.Query;
using Fhirhouse.Query.Access;
using Fhirhouse.Storage;

/// <summary>
/// What the guard adds per statement, p50 and p99 over N statements, each against the same statements unguarded:
/// a repeated statement (its shape cached; under the guard its locked database reused), distinct statements (each
/// parsed and, under the guard, checked), and statements that each need a new locked database (two tables read in
/// turn with room for one database).
/// </summary>
internal static class GuardBench
{
    public static async Task RunAsync(IObjectStore lake, int statements)
    {
        var guard = new MaskingGuard();
        using var open = new QueryEngine(lake, new QueryOptions { Threads = 2 });
        using var guarded = new QueryEngine(lake, new QueryOptions { Threads = 2, Guard = guard });
        using var churn = new QueryEngine(lake, new QueryOptions { Threads = 2, Guard = guard, LockedDatabases = 1 });
        const string repeated = "SELECT gender, count(*) FROM patient GROUP BY gender";
        string Distinct(int i) => $"SELECT count(*) FROM patient WHERE birth_date > '{1900 + i % 100}-{1 + i % 12:D2}-01' AND gender <> 'x{i}'";
        string Alternating(int i) => i % 2 == 0 ? "SELECT count(*) FROM patient" : "SELECT count(*) FROM encounter";

        Console.WriteLine($"guard: {statements} statements each, p50 / p99 ms (unguarded vs under a guard with a hash mask)");
        await ReportAsync("repeated statement (locked database reused)", open, guarded, _ => repeated, statements);
        await ReportAsync("distinct statements (each parsed and checked)", open, guarded, Distinct, statements);
        await ReportAsync("a new locked database for every statement", open, churn, Alternating, statements);
    }

    private static async Task ReportAsync(string what, QueryEngine open, QueryEngine guarded, Func<int, string> sql, int statements)
    {
        for (var i = 0; i < 20; i++)
        {
            await open.ExecuteAsync(sql(i));
            await guarded.ExecuteAsync(sql(i));
        }

        var plain = new List<double>(statements);
        var checkedTimes = new List<double>(statements);
        for (var i = 0; i < statements; i++)
        {
            var text = sql(i + 20);
            var t = Stopwatch.StartNew();
            await open.ExecuteAsync(text);
            plain.Add(t.Elapsed.TotalMilliseconds);
            t.Restart();
            await guarded.ExecuteAsync(text);
            checkedTimes.Add(t.Elapsed.TotalMilliseconds);
        }

        var (p50, p99) = (Percentile(plain, 0.50), Percentile(plain, 0.99));
        var (g50, g99) = (Percentile(checkedTimes, 0.50), Percentile(checkedTimes, 0.99));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {what,-48} unguarded {p50,6:F2} / {p99,6:F2}   guarded {g50,6:F2} / {g99,6:F2}   added at p50 {g50 - p50,6:F2} ms ({g50 / p50:F2}x)"));
    }

    private static double Percentile(List<double> values, double q)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)(q * sorted.Count))];
    }

    private sealed class MaskingGuard : ITableAccessGuard
    {
        public ReadOnlyMemory<byte> HashKey { get; } = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

        public ValueTask<TableAccess> AuthorizeAsync(TableAccessRequest request, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new TableAccess(new Dictionary<string, ColumnMask> { ["id"] = ColumnMask.Hash }, null));
    }
}
