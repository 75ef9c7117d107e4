using System.Diagnostics;
using System.Globalization;
using Fhirhouse.Delta.Schema;
using Fhirhouse.Storage;
using Fhirhouse.Storage.Encryption;
using Fhirhouse.Storage.Keys.Keyring;
using Fhirhouse.Storage.Local;

namespace Fhirhouse.Delta.Bench;

/// <summary>
/// The cost of the encrypted lake on a Delta write and scan: the same rows written and read back through a plain local
/// store and through the envelope-encrypted store over local disk, in alternating rounds so both see the same load.
/// </summary>
internal static class EncryptionOverhead
{
    private static readonly StructType s_schema = new(
        new StructField("id", PrimitiveType.Long, Nullable: false),
        new StructField("name", PrimitiveType.String),
        new StructField("value", PrimitiveType.Double),
        new StructField("seen", PrimitiveType.Timestamp));

    public static async Task<int> RunAsync(string[] args)
    {
        var n = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        var root = Path.Combine(Path.GetTempPath(), "fhirhouse-encryption-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            var keyring = LocalKeyring.Create(Path.Combine(root, "keys", "keyring.json"), MasterKey.CreateKeyFile(Path.Combine(root, "keys", "master.key")));
            var rows = Enumerable.Range(0, n).Select(Row).ToList();
            var plain = new List<(double Write, double Scan)>();
            var encrypted = new List<(double Write, double Scan)>();
            for (var round = 0; round < rounds; round++)
            {
                plain.Add(await WriteAndScanAsync(new LocalObjectStore(Path.Combine(root, $"plain-{round}")), rows));
                encrypted.Add(await WriteAndScanAsync(new EncryptedObjectStore(new LocalObjectStore(Path.Combine(root, $"encrypted-{round}")), keyring), rows));
            }

            double Best(IEnumerable<double> values) => values.Min();
            var (pw, ps) = (Best(plain.Select(p => p.Write)), Best(plain.Select(p => p.Scan)));
            var (ew, es) = (Best(encrypted.Select(p => p.Write)), Best(encrypted.Select(p => p.Scan)));
            Console.WriteLine($"machine: {Environment.ProcessorCount} cores; {n:N0} rows x 4 columns, best of {rounds} alternating rounds");
            Console.WriteLine($"write: plain local store {pw:F2} s, encrypted store {ew:F2} s; ratio {ew / pw:F2}x");
            Console.WriteLine($"scan:  plain local store {ps:F2} s, encrypted store {es:F2} s; ratio {es / ps:F2}x");
            return 0;
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    private static async Task<(double Write, double Scan)> WriteAndScanAsync(IObjectStore store, List<object?[]> rows)
    {
        var table = await DeltaTable.CreateAsync(store, "t", s_schema);
        var sw = Stopwatch.StartNew();
        await table.AppendAsync(rows);
        var write = sw.Elapsed.TotalSeconds;
        sw.Restart();
        long count = 0;
        await foreach (var row in (await table.GetSnapshotAsync()).ReadRowsAsync())
        {
            count += row[1] is null ? 0 : 1;
        }

        var scan = sw.Elapsed.TotalSeconds;
        if (count != rows.Count - (rows.Count + 4) / 5)
        {
            throw new InvalidOperationException($"read {count} names back, expected {rows.Count - ((rows.Count + 4) / 5)}");
        }

        return (write, scan);
    }

    private static object?[] Row(int i) =>
    [
        (long)i, i % 5 == 0 ? null : "name-" + i.ToString(CultureInfo.InvariantCulture), i * 0.5,
        new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero).AddMilliseconds(i),
    ];
}
