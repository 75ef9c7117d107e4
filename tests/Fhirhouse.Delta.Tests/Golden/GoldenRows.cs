using System.Globalization;
using System.Numerics;
using Fhirhouse.Delta.Parquet;
using Fhirhouse.Delta.Schema;
using Fhirhouse.Storage.Local;
using Fhirhouse.Testing;

namespace Fhirhouse.Delta.Tests.Golden;

/// <summary>
/// The rows a golden table must hold: Spark's own output under a kernel-golden case's <c>expected/</c>, compared with
/// ours as order-free multisets of canonical texts, and checked by DuckDB as a second reader of the expected files.
/// </summary>
internal static class GoldenRows
{
    public static string KernelCase(string name) => RepoPaths.TestData("delta", "kernel-golden", name);

    public static async Task<List<object?[]>> ReadAsync(Snapshot snapshot)
    {
        var rows = new List<object?[]>();
        await foreach (var row in snapshot.ReadRowsAsync())
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Asserts that <paramref name="actual"/> are exactly the rows of kernel-golden case <paramref name="kernelCase"/>'s <c>expected/</c>.</summary>
    public static async Task AssertExpectedAsync(string kernelCase, StructType schema, List<object?[]> actual)
    {
        var caseDir = KernelCase(kernelCase);
        var files = Directory.GetFiles(Path.Combine(caseDir, "expected"), "*.parquet", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        var handler = new ParquetSharpHandler(new LocalObjectStore(caseDir));
        var expected = new List<object?[]>();
        foreach (var file in files)
        {
            var key = Path.GetRelativePath(caseDir, file).Replace(Path.DirectorySeparatorChar, '/');
            expected.AddRange(await handler.ReadAsync(key, schema, ColumnMappingMode.None, default));
        }

        // DuckDB over Spark's files must find the same row count and, per top-level primitive column, the same
        // non-null count and sum (of integers, day numbers, epoch microseconds, string lengths) as our rows.
        Assert.Equal(DuckDbAggregates(files, schema), Aggregates(actual, schema));

        var a = actual.Select(RowCanon.Row).Order(StringComparer.Ordinal).ToList();
        var x = expected.Select(RowCanon.Row).Order(StringComparer.Ordinal).ToList();
        if (!a.SequenceEqual(x))
        {
            Assert.Fail($"{a.Count} rows vs {x.Count} expected; missing {string.Join(" ; ", x.Except(a).Take(3))}; unexpected {string.Join(" ; ", a.Except(x).Take(3))}");
        }
    }

    private static List<string> DuckDbAggregates(string[] files, StructType schema)
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

    private static List<string> Aggregates(List<object?[]> rows, StructType schema)
    {
        var result = new List<string> { rows.Count.ToString(CultureInfo.InvariantCulture) };
        for (var i = 0; i < schema.Fields.Count; i++)
        {
            if (SumKind(schema.Fields[i].Type) is not { } kind)
            {
                continue;
            }

            var values = rows.Select(r => r[i]).Where(v => v is not null).ToList();
            BigInteger sum = 0;
            foreach (var v in values)
            {
                sum += kind switch
                {
                    "int" => new BigInteger(Convert.ToInt64(v, CultureInfo.InvariantCulture)),
                    "date" => ((DateOnly)v!).DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber,
                    "ts" => (((DateTimeOffset)v!).UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10,
                    _ => ((string)v!).EnumerateRunes().Count(),
                };
            }

            result.Add(values.Count.ToString(CultureInfo.InvariantCulture));
            result.Add(sum.ToString(CultureInfo.InvariantCulture));
        }

        return result;
    }

    private static string? SumKind(DeltaType type) => type switch
    {
        PrimitiveType p when p == PrimitiveType.Integer || p == PrimitiveType.Long || p == PrimitiveType.Short || p == PrimitiveType.Byte => "int",
        PrimitiveType p when p == PrimitiveType.Date => "date",
        PrimitiveType p when p == PrimitiveType.Timestamp => "ts",
        PrimitiveType p when p == PrimitiveType.String => "string",
        _ => null,
    };
}
