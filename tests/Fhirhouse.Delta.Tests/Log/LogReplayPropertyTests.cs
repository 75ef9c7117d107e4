using System.Text.Json;
using Fhirhouse.Delta.Actions;
using Fhirhouse.Delta.Log;
using Fhirhouse.Delta.Schema;
using Fhirhouse.Delta.Transactions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Fhirhouse.Delta.Tests.Log;

public sealed class LogReplayPropertyTests
{
    private static readonly Protocol s_protocol = new(1, 2);
    private static readonly Metadata s_metadata = new("id", null, null, FileFormat.Parquet, "{\"type\":\"struct\",\"fields\":[]}", [], new Dictionary<string, string>(), 0);

    private static AddFile Add(int file) => new($"f{file}.parquet", new Dictionary<string, string?>(), file, 0, true);

    private static RemoveFile Remove(int file) => new($"f{file}.parquet", 0, true);

    /// <summary>Commits as lists of (file, add?) with at most one action per file per commit, as the protocol requires.</summary>
    private static List<List<(int File, bool IsAdd)>> Commits(int[][] raw) =>
        raw.Select(c => c.Select(x => (File: Math.Abs(x % 20), IsAdd: x >= 0)).DistinctBy(a => a.File).ToList()).ToList();

    private static TableState Replay(IEnumerable<IEnumerable<DeltaAction>> commits)
    {
        var replay = new LogReplay("t");
        replay.Apply([s_protocol, s_metadata]);
        foreach (var commit in commits)
        {
            replay.Apply(commit);
        }

        return replay.Result();
    }

    [Property(MaxTest = 200)]
    public bool Replay_keeps_exactly_the_files_whose_last_action_is_an_add(int[][] raw)
    {
        var commits = Commits(raw ?? []);
        var model = new HashSet<int>();
        foreach (var commit in commits)
        {
            foreach (var (file, isAdd) in commit)
            {
                if (isAdd)
                {
                    model.Add(file);
                }
                else
                {
                    model.Remove(file);
                }
            }
        }

        var state = Replay(commits.Select(c => c.Select(a => a.IsAdd ? (DeltaAction)Add(a.File) : Remove(a.File))));
        return state.Files.Select(f => f.Path).Order(StringComparer.Ordinal)
            .SequenceEqual(model.Select(f => $"f{f}.parquet").Order(StringComparer.Ordinal));
    }

    [Property(MaxTest = 200)]
    public bool Replay_is_order_independent_within_a_commit(int[][] raw, int seed)
    {
        var commits = Commits(raw ?? []);
        var random = new Random(seed);
        var inOrder = Replay(commits.Select(c => c.Select(a => a.IsAdd ? (DeltaAction)Add(a.File) : Remove(a.File))));
        var shuffled = Replay(commits.Select(c => c.OrderBy(_ => random.Next()).Select(a => a.IsAdd ? (DeltaAction)Add(a.File) : Remove(a.File))));
        return inOrder.Files.Select(f => f.Path).Order(StringComparer.Ordinal).SequenceEqual(shuffled.Files.Select(f => f.Path).Order(StringComparer.Ordinal))
            && inOrder.Tombstones.Count == shuffled.Tombstones.Count;
    }

    [Property(MaxTest = 100)]
    public bool The_latest_txn_per_application_wins(int[] versions)
    {
        var replay = new LogReplay("t");
        replay.Apply([s_protocol, s_metadata]);
        foreach (var (v, i) in (versions ?? []).Select((v, i) => (v, i)))
        {
            replay.Apply([new SetTransaction($"app{i % 3}", v, null)]);
        }

        var state = replay.Result();
        var expected = (versions ?? []).Select((v, i) => (App: $"app{i % 3}", V: (long)v)).GroupBy(x => x.App).ToDictionary(g => g.Key, g => g.Last().V);
        return expected.Count == state.Transactions.Count && expected.All(kv => state.Transactions[kv.Key].Version == kv.Value);
    }

    [Property(MaxTest = 100)]
    public bool Actions_survive_a_json_round_trip(int file, bool isAdd, NonNull<string> partition)
    {
        DeltaAction action = isAdd
            ? new AddFile($"p={Uri.EscapeDataString(partition.Get)}/f{file}.parquet", new Dictionary<string, string?> { ["p"] = partition.Get, ["q"] = null }, file, file, true, "{\"numRecords\":1}")
            : new RemoveFile($"f{file}.parquet", file, false, true, new Dictionary<string, string?> { ["p"] = partition.Get }, file);
        var parsed = ActionJson.Parse(System.Text.Encoding.UTF8.GetBytes(ActionJson.Serialize(action)));
        return ActionJson.Serialize(parsed!) == ActionJson.Serialize(action);
    }

    [Property(MaxTest = 100)]
    public bool Statistics_match_a_direct_computation(int?[] values, string?[] names)
    {
        values ??= [];
        names ??= [];
        var schema = new StructType(new StructField("v", PrimitiveType.Integer), new StructField("s", PrimitiveType.String));
        var rows = Enumerable.Range(0, Math.Max(values.Length, names.Length))
            .Select(i => new object?[] { i < values.Length ? values[i] : null, i < names.Length ? names[i] : null })
            .ToList();
        using var stats = JsonDocument.Parse(StatisticsCollector.Collect(schema, rows));
        var root = stats.RootElement;
        var ints = rows.Where(r => r[0] is not null).Select(r => (int)r[0]!).ToList();
        var strings = rows.Where(r => r[1] is not null).Select(r => (string)r[1]!).ToList();
        var ok = root.GetProperty("numRecords").GetInt64() == rows.Count
            && root.GetProperty("nullCount").GetProperty("v").GetInt64() == rows.Count - ints.Count
            && root.GetProperty("nullCount").GetProperty("s").GetInt64() == rows.Count - strings.Count;
        if (ints.Count > 0)
        {
            ok &= root.GetProperty("minValues").GetProperty("v").GetInt32() == ints.Min() && root.GetProperty("maxValues").GetProperty("v").GetInt32() == ints.Max();
        }
        else
        {
            ok &= !root.GetProperty("minValues").TryGetProperty("v", out _);
        }

        if (strings.Count > 0)
        {
            ok &= root.GetProperty("minValues").GetProperty("s").GetString() == strings.Min(StringComparer.Ordinal)
                && root.GetProperty("maxValues").GetProperty("s").GetString() == strings.Max(StringComparer.Ordinal);
        }

        return ok;
    }
}
