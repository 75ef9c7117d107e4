using System.Globalization;
using System.Text.Json;
using Fhirhouse.Delta.Actions;
using Fhirhouse.Delta.Schema;

namespace Fhirhouse.Query.Pruning;

/// <summary>
/// Decides from the Delta log alone whether a data file can hold a row satisfying every predicate: partition values
/// are compared exactly; statistics (minValues, maxValues, nullCount, numRecords) bound the others. A file is dropped
/// only when some predicate is certainly false for all its rows; anything unknown (no statistics, a type or constant
/// it cannot compare, non-ASCII text whose order DuckDB and the statistics might disagree on) keeps the file.
/// </summary>
internal sealed class FilePruner
{
    private readonly List<(ColumnPredicate Predicate, StructField Field, string Physical, bool Partition)> _predicates = [];

    public FilePruner(StructType schema, IReadOnlyList<string> partitionColumns, ColumnMappingMode mode, IReadOnlyList<ColumnPredicate> predicates)
    {
        foreach (var predicate in predicates)
        {
            var field = schema.Fields.FirstOrDefault(f => string.Equals(f.Name, predicate.Column, StringComparison.OrdinalIgnoreCase));
            if (field is null || field.Type is not (PrimitiveType or DecimalType))
            {
                continue;
            }

            var partition = partitionColumns.Any(p => string.Equals(p, field.Name, StringComparison.OrdinalIgnoreCase));
            _predicates.Add((predicate, field, field.PhysicalName(mode), partition));
        }
    }

    /// <summary>True when nothing can be pruned (no usable predicate).</summary>
    public bool IsEmpty => _predicates.Count == 0;

    /// <summary>False when the file certainly holds no row the predicates accept.</summary>
    public bool MayMatch(AddFile file)
    {
        JsonDocument? stats = null;
        try
        {
            foreach (var (predicate, field, physical, partition) in _predicates)
            {
                if (partition)
                {
                    var text = file.PartitionValues.TryGetValue(physical, out var v) ? v : file.PartitionValues.FirstOrDefault(kv => string.Equals(kv.Key, physical, StringComparison.OrdinalIgnoreCase)).Value;
                    if (text is null)
                    {
                        return false;
                    }

                    if (Value(text, field.Type) is { } value && !predicate.Values.Any(c => Satisfies(value, value, predicate.Operator, c, field.Type)))
                    {
                        return false;
                    }

                    continue;
                }

                if (string.IsNullOrEmpty(file.Stats))
                {
                    continue;
                }

                stats ??= JsonDocument.Parse(file.Stats);
                if (!MayMatch(stats.RootElement, physical, field, predicate))
                {
                    return false;
                }
            }

            return true;
        }
        finally
        {
            stats?.Dispose();
        }
    }

    private static bool MayMatch(JsonElement stats, string column, StructField field, ColumnPredicate predicate)
    {
        if (stats.TryGetProperty("numRecords", out var records) && records.TryGetInt64(out var count)
            && stats.TryGetProperty("nullCount", out var nulls) && nulls.ValueKind == JsonValueKind.Object
            && nulls.TryGetProperty(column, out var nullCount) && nullCount.TryGetInt64(out var n) && n == count)
        {
            return false;
        }

        var min = Bound(stats, "minValues", column, field.Type, isMax: false);
        var max = Bound(stats, "maxValues", column, field.Type, isMax: true);
        if (min is null && max is null)
        {
            return true;
        }

        return predicate.Values.Any(c => Satisfies(min, max, predicate.Operator, c, field.Type));
    }

    private static object? Bound(JsonElement stats, string section, string column, DeltaType type, bool isMax)
    {
        if (!stats.TryGetProperty(section, out var values) || values.ValueKind != JsonValueKind.Object || !values.TryGetProperty(column, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number)
        {
            return type == PrimitiveType.Double || type == PrimitiveType.Float
                ? value.GetDouble() is var d && !double.IsNaN(d) ? d : null
                : value.TryGetDecimal(out var m) ? m : null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var text = value.GetString()!;
        if (type == PrimitiveType.String && isMax && text.Length >= 32)
        {
            // Engines that truncate string statistics (Spark: 32 characters) leave a max below the true one.
            return null;
        }

        var parsed = Value(text, type);
        return isMax && parsed is DateTimeOffset t ? t.AddMilliseconds(1) : parsed;
    }

    /// <summary>A partition value or statistic as a comparable value of the column type, or null when not comparable.</summary>
    private static object? Value(string text, DeltaType type)
    {
        if (type == PrimitiveType.String)
        {
            return text;
        }

        if (type == PrimitiveType.Long || type == PrimitiveType.Integer || type == PrimitiveType.Short || type == PrimitiveType.Byte || type is DecimalType)
        {
            return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;
        }

        if (type == PrimitiveType.Double || type == PrimitiveType.Float)
        {
            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && !double.IsNaN(d) ? d : null;
        }

        if (type == PrimitiveType.Date)
        {
            return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
        }

        if (type == PrimitiveType.Timestamp)
        {
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : null;
        }

        return null;
    }

    /// <summary>Whether some value in [min, max] may satisfy <c>value OP constant</c>; true when unsure.</summary>
    private static bool Satisfies(object? min, object? max, ComparisonOperator op, object constant, DeltaType type)
    {
        var c = constant switch
        {
            string s => Value(s, type),
            decimal d when type == PrimitiveType.Double || type == PrimitiveType.Float => (double)d,
            decimal d => type == PrimitiveType.String || type == PrimitiveType.Date || type == PrimitiveType.Timestamp ? null : d,
            double d when type == PrimitiveType.Double || type == PrimitiveType.Float => d,
            _ => null,
        };
        if (c is null || (c is string text && !IsAscii(text)) || (min is string a && !IsAscii(a)) || (max is string b && !IsAscii(b)))
        {
            return true;
        }

        var belowMin = min is not null && Compare(c, min) is { } vsMin ? vsMin : (int?)null;
        var aboveMax = max is not null && Compare(c, max) is { } vsMax ? vsMax : (int?)null;
        return op switch
        {
            ComparisonOperator.Equal or ComparisonOperator.In => !(belowMin < 0 || aboveMax > 0),
            ComparisonOperator.Less => !(belowMin <= 0),
            ComparisonOperator.LessOrEqual => !(belowMin < 0),
            ComparisonOperator.Greater => !(aboveMax >= 0),
            ComparisonOperator.GreaterOrEqual => !(aboveMax > 0),
            _ => true,
        };
    }

    private static int? Compare(object x, object y) => (x, y) switch
    {
        (decimal a, decimal b) => a.CompareTo(b),
        (double a, double b) => a.CompareTo(b),
        (double a, decimal b) => a.CompareTo((double)b),
        (decimal a, double b) => ((double)a).CompareTo(b),
        (string a, string b) => string.CompareOrdinal(a, b),
        (DateOnly a, DateOnly b) => a.CompareTo(b),
        (DateTimeOffset a, DateTimeOffset b) => a.CompareTo(b),
        _ => null,
    };

    private static bool IsAscii(string text) => System.Text.Ascii.IsValid(text);
}
