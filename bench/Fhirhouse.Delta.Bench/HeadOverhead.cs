using System.Diagnostics;
using System.Globalization;
using Fhirhouse.Delta.Schema;
using Fhirhouse.Storage;
using Fhirhouse.Storage.Encryption;
using Fhirhouse.Storage.Keys.Keyring;
using Fhirhouse.Storage.Lake;
using Fhirhouse.Storage.Local;

namespace Fhirhouse.Delta.Bench;

/// <summary>
/// The cost of tamper evidence on a commit: one-row appends (what the audit log does on every read) through an
/// encrypted store without a lake id (no hash chain, no head record) and through a lake's store (chained commit, head
/// record written, head read before every snapshot load), alternating blocks so both see the same load.
/// </summary>
internal static class HeadOverhead
{
    private static readonly StructType s_schema = new(
        new StructField("id", PrimitiveType.Long, Nullable: false),
        new StructField("what", PrimitiveType.String));

    public static async Task<int> RunAsync(string[] args)
    {
        var commits = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 400;
        const int Block = 20;
        var root = Path.Combine(Path.GetTempPath(), "fhirhouse-head-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            var keyring = LocalKeyring.Create(Path.Combine(root, "keys", "keyring.json"), MasterKey.CreateKeyFile(Path.Combine(root, "keys", "master.key")));
            using var bare = new EncryptedObjectStore(new LocalObjectStore(Path.Combine(root, "bare")), keyring);
            using var lake = await LakeStore.OpenAsync(new LakeOptions { Uri = "file://" + Path.Combine(root, "lake"), KeyProvider = keyring });
            var without = await DeltaTable.CreateAsync(bare, "tables/audit_log", s_schema);
            var with = await DeltaTable.CreateAsync(lake.Objects, "tables/audit_log", s_schema);
            var plainTimes = new List<double>();
            var headTimes = new List<double>();
            for (var done = 0; done < commits; done += Block)
            {
                await AppendAsync(without, done, Block, plainTimes);
                await AppendAsync(with, done, Block, headTimes);
            }

            Console.WriteLine($"machine: {Environment.ProcessorCount} cores; {commits} one-row appends per store (snapshot load, Parquet file, commit, checkpoint every 10), alternating blocks of {Block}");
            Console.WriteLine($"without chain and head: p50 {Benchmarks.P(plainTimes, 50):F2} ms, p99 {Benchmarks.P(plainTimes, 99):F2} ms");
            Console.WriteLine($"with chain and head:    p50 {Benchmarks.P(headTimes, 50):F2} ms, p99 {Benchmarks.P(headTimes, 99):F2} ms; ratio p50 {Benchmarks.P(headTimes, 50) / Benchmarks.P(plainTimes, 50):F2}x, p99 {Benchmarks.P(headTimes, 99) / Benchmarks.P(plainTimes, 99):F2}x");
            var verify = Stopwatch.StartNew();
            var problems = await DeltaTable.VerifyLogAsync(lake.Objects, "tables/audit_log");
            Console.WriteLine($"verify of the chained log ({commits + 1} commits): {verify.Elapsed.TotalMilliseconds:F0} ms, {problems.Count} problems");
            return problems.Count == 0 ? 0 : 1;
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    private static async Task AppendAsync(DeltaTable table, int first, int count, List<double> times)
    {
        for (var i = first; i < first + count; i++)
        {
            var sw = Stopwatch.StartNew();
            await table.AppendAsync([[(long)i, "read"]]);
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
    }
}
