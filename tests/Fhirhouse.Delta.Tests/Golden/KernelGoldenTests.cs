using Fhirhouse.Delta.Parquet;
using Fhirhouse.Storage.Local;
using Fhirhouse.Testing;
using Xunit.Abstractions;

namespace Fhirhouse.Delta.Tests.Golden;

/// <summary>Every table of delta-kernel-rs's golden data, read at its latest version and compared with Spark's rows.</summary>
public sealed class KernelGoldenTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, Type> s_mustFail = new(StringComparer.Ordinal)
    {
        ["deltalog-invalid-protocol-version"] = typeof(UnsupportedTableFeatureException),
        ["deltalog-state-reconstruction-from-checkpoint-missing-metadata"] = typeof(DeltaProtocolException),
        ["deltalog-state-reconstruction-from-checkpoint-missing-protocol"] = typeof(DeltaProtocolException),
        ["deltalog-state-reconstruction-without-metadata"] = typeof(DeltaProtocolException),
        ["deltalog-state-reconstruction-without-protocol"] = typeof(DeltaProtocolException),
        ["no-delta-log-folder"] = typeof(DeltaTableNotFoundException),
        ["versions-not-contiguous"] = typeof(DeltaProtocolException),
    };

    // Not in the README's must-fail list, but its log has no metaData action at all (only protocol and add), which the
    // protocol requires: no reader can know its schema. It must fail with the error that says so.
    private static readonly Dictionary<string, string> s_invalidLogs = new(StringComparer.Ordinal)
    {
        ["data-reader-absolute-paths-escaped-chars"] = "no metaData action",
    };

    // The delta-kernel-rs team marks the expected data of these cases as unreliable (see shared/testdata/README.md).
    private static readonly HashSet<string> s_unreliable = new(StringComparer.Ordinal)
    {
        "data-reader-partition-values", "parquet-all-types", "parquet-all-types-legacy-format", "hive",
        "canonicalized-paths-normal-a", "canonicalized-paths-normal-b", "canonicalized-paths-special-a",
        "canonicalized-paths-special-b", "delete-re-add-same-file-different-transactions", "log-replay-special-characters-b",
    };

    [Fact]
    public async Task Every_kernel_golden_table_reads_as_spark_wrote_it_or_is_refused_by_name()
    {
        var root = RepoPaths.TestData("delta", "kernel-golden");
        int passed = 0, refused = 0, skipped = 0;
        var failures = new List<string>();
        foreach (var caseDir in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(caseDir);
            if (s_unreliable.Contains(name))
            {
                skipped++;
                output.WriteLine($"skipped-unreliable {name}");
                continue;
            }

            var outcome = await RunCaseAsync(caseDir, name);
            output.WriteLine($"{outcome.Kind,-18} {name} {outcome.Detail}");
            switch (outcome.Kind)
            {
                case "passed":
                    passed++;
                    break;
                case "refused-by-design":
                    refused++;
                    break;
                default:
                    failures.Add($"{name}: {outcome.Detail}");
                    break;
            }
        }

        output.WriteLine($"kernel-golden: passed {passed} / refused-by-design {refused} / skipped-unreliable {skipped} / failed {failures.Count}");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        Assert.True(passed >= 60, $"only {passed} cases passed");
    }

    private static async Task<(string Kind, string Detail)> RunCaseAsync(string caseDir, string name)
    {
        var store = new LocalObjectStore(caseDir);
        if (s_invalidLogs.TryGetValue(name, out var reason))
        {
            try
            {
                await DeltaTable.OpenAsync(store, "delta");
                return ("failed", "opened a log with " + reason);
            }
            catch (DeltaProtocolException e) when (e.Message.Contains("metaData", StringComparison.Ordinal))
            {
                return ("passed", "rejected as invalid: " + e.Message);
            }
        }

        if (s_mustFail.TryGetValue(name, out var expectedError))
        {
            try
            {
                var table = await DeltaTable.OpenAsync(store, "delta");
                var snapshot = await table.GetSnapshotAsync();
                await foreach (var _ in snapshot.ReadRowsAsync())
                {
                }

                return ("failed", "opened a table that must fail");
            }
            catch (Exception e) when (e.GetType() == expectedError)
            {
                return ("passed", "failed as it must: " + e.Message);
            }
            catch (Exception e)
            {
                return ("failed", $"wrong error {e.GetType().Name}: {e.Message}");
            }
        }

        var expectedDir = Path.Combine(caseDir, "expected");
        List<object?[]> actual;
        Snapshot snap;
        try
        {
            var table = await DeltaTable.OpenAsync(store, "delta");
            snap = await table.GetSnapshotAsync();
            actual = [];
            if (!Directory.Exists(expectedDir))
            {
                // Log-only cases: their add actions name files that were never written; replaying the log is the test.
                return ("passed", $"replayed to version {snap.Version}: {snap.Files.Count} files, {snap.Tombstones.Count} tombstones");
            }

            await foreach (var row in snap.ReadRowsAsync())
            {
                actual.Add(row);
            }
        }
        catch (UnsupportedTableFeatureException e)
        {
            var protocol0 = await File.ReadAllTextAsync(Path.Combine(caseDir, "delta", "_delta_log", "00000000000000000000.json"));
            return protocol0.Contains("\"minReaderVersion\":1", StringComparison.Ordinal) && !e.Feature.StartsWith("v2Checkpoint", StringComparison.Ordinal)
                ? ("failed", "refused a reader-v1 table: " + e.Message)
                : ("refused-by-design", e.Feature);
        }
        catch (Exception e)
        {
            return ("failed", $"{e.GetType().Name}: {e.Message}");
        }

        var expected = new List<object?[]>();
        var handler = new ParquetSharpHandler(store);
        foreach (var file in Directory.GetFiles(expectedDir, "*.parquet", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var key = Path.GetRelativePath(caseDir, file).Replace(Path.DirectorySeparatorChar, '/');
            expected.AddRange(await handler.ReadAsync(key, snap.Schema, Schema.ColumnMappingMode.None, default));
        }

        // A second, independent reader of Spark's expected files: DuckDB must find the same row count and, per
        // top-level primitive column, the same non-null count and the same sum (of integers, day numbers,
        // epoch microseconds, string lengths) as our rows.
        var duckAggregates = DuckDbAggregates(Directory.GetFiles(expectedDir, "*.parquet", SearchOption.AllDirectories), snap.Schema);
        var ourAggregates = Aggregates(actual, snap.Schema);
        if (!duckAggregates.SequenceEqual(ourAggregates))
        {
            return ("failed", $"WRONG RESULT: DuckDB over expected/ says [{string.Join(", ", duckAggregates)}], our rows [{string.Join(", ", ourAggregates)}]");
        }

        var a = actual.Select(RowCanon.Row).Order(StringComparer.Ordinal).ToList();
        var x = expected.Select(RowCanon.Row).Order(StringComparer.Ordinal).ToList();
        if (a.SequenceEqual(x))
        {
            return ("passed", $"{a.Count} rows at version {snap.Version}");
        }

        var missing = x.Except(a).Take(3);
        return Mismatch(a, x, missing);
    }

    private static (string Kind, string Detail) Mismatch(List<string> a, List<string> x, IEnumerable<string> missing)
    {
        var extra = a.Except(x).Take(3);
        return ("failed", $"WRONG RESULT: {a.Count} rows vs {x.Count} expected; missing {string.Join(" ; ", missing)}; unexpected {string.Join(" ; ", extra)}");
    }

    private static List<string> DuckDbAggregates(string[] files, Schema.StructType schema)
    {
        var selects = new List<string> { "count(*)::VARCHAR" };
        foreach (var field in schema.Fields)
        {
            var column = "\"" + field.Name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            if (SumKind(field.Type) is { } kind)
            {
                selects.Add($"count({column})::VARCHAR");
                selects.Add(kind switch
                {
                    "int" => $"coalesce(sum({column}::HUGEINT), 0)::VARCHAR",
                    "date" => $"coalesce(sum(({column} - DATE '1970-01-01')::HUGEINT), 0)::VARCHAR",
                    "ts" => $"coalesce(sum(epoch_us({column})::HUGEINT), 0)::VARCHAR",
                    _ => $"coalesce(sum(length({column})::HUGEINT), 0)::VARCHAR",
                });
            }
        }

        using var connection = new DuckDB.NET.Data.DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SET TimeZone = 'UTC'; SELECT {string.Join(", ", selects)} FROM read_parquet([{string.Join(", ", files.Select(f => $"'{f.Replace("'", "''", StringComparison.Ordinal)}'"))}])";
        using var reader = command.ExecuteReader();
        reader.Read();
        return Enumerable.Range(0, selects.Count).Select(i => reader.GetString(i)).ToList();
    }

    private static List<string> Aggregates(List<object?[]> rows, Schema.StructType schema)
    {
        var result = new List<string> { rows.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        for (var i = 0; i < schema.Fields.Count; i++)
        {
            if (SumKind(schema.Fields[i].Type) is not { } kind)
            {
                continue;
            }

            var values = rows.Select(r => r[i]).Where(v => v is not null).ToList();
            System.Numerics.BigInteger sum = 0;
            foreach (var v in values)
            {
                sum += kind switch
                {
                    "int" => new System.Numerics.BigInteger(Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture)),
                    "date" => ((DateOnly)v!).DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber,
                    "ts" => (((DateTimeOffset)v!).UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10,
                    _ => ((string)v!).EnumerateRunes().Count(),
                };
            }

            result.Add(values.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            result.Add(sum.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return result;
    }

    private static string? SumKind(Schema.DeltaType type) => type switch
    {
        Schema.PrimitiveType p when p == Schema.PrimitiveType.Integer || p == Schema.PrimitiveType.Long || p == Schema.PrimitiveType.Short || p == Schema.PrimitiveType.Byte => "int",
        Schema.PrimitiveType p when p == Schema.PrimitiveType.Date => "date",
        Schema.PrimitiveType p when p == Schema.PrimitiveType.Timestamp => "ts",
        Schema.PrimitiveType p when p == Schema.PrimitiveType.String => "string",
        _ => null,
    };
}
