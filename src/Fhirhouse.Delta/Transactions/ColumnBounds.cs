using System.Globalization;
using System.Text.Json;
using Fhirhouse.Delta.Actions;
using Fhirhouse.Delta.Log;
using Fhirhouse.Delta.Schema;

namespace Fhirhouse.Delta.Transactions;

/// <summary>
/// Whether a file may hold a value of a column within [lower, upper], from its partition value or its min/max stats
/// (unknown stats keep the file; timestamp stats are millisecond-truncated, so their upper bound is widened).
/// </summary>
internal static class ColumnBounds
{
    public static bool MayContain(AddFile file, StructField field, string physicalName, bool isPartition, object? lower, object? upper)
    {
        if (isPartition)
        {
            var value = file.PartitionValues.TryGetValue(physicalName, out var text) ? PartitionValueParser.Parse(text, field.Type, field.Name) : null;
            return value is not null && Within(value, value, lower, upper);
        }

        if (string.IsNullOrEmpty(file.Stats))
        {
            return true;
        }

        using var stats = JsonDocument.Parse(file.Stats);
        if (!TryGet(stats.RootElement, "minValues", physicalName, out var minElement) || !TryGet(stats.RootElement, "maxValues", physicalName, out var maxElement))
        {
            return !AllNull(stats.RootElement, physicalName);
        }

        var min = Parse(minElement, field.Type);
        var max = Parse(maxElement, field.Type);
        if (min is null || max is null)
        {
            return true;
        }

        if (max is DateTimeOffset t)
        {
            max = t.AddMilliseconds(1).AddTicks(-1);
        }

        return Within(min, max, lower, upper);
    }

    /// <summary>
    /// Whether <paramref name="file"/> may hold a row whose column equals one of <paramref name="sortedValues"/> (sorted by
    /// <see cref="CompareValues"/>): the partition value is one of them, or one lies within the file's min/max; files
    /// without statistics for the column are kept, files whose column is all null are not.
    /// </summary>
    public static bool MayContainAny(AddFile file, StructField field, string physicalName, bool isPartition, object[] sortedValues)
    {
        if (isPartition)
        {
            var value = file.PartitionValues.TryGetValue(physicalName, out var text) ? PartitionValueParser.Parse(text, field.Type, field.Name) : null;
            return value is not null && Array.BinarySearch(sortedValues, value is int or short or sbyte ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : value, s_comparer) >= 0;
        }

        if (string.IsNullOrEmpty(file.Stats))
        {
            return true;
        }

        using var stats = JsonDocument.Parse(file.Stats);
        if (!TryGet(stats.RootElement, "minValues", physicalName, out var minElement) || !TryGet(stats.RootElement, "maxValues", physicalName, out var maxElement))
        {
            return !AllNull(stats.RootElement, physicalName);
        }

        if (Parse(minElement, field.Type) is not { } min || Parse(maxElement, field.Type) is not { } max)
        {
            return true;
        }

        var first = Array.BinarySearch(sortedValues, min, s_comparer);
        var at = first >= 0 ? first : ~first;
        return at < sortedValues.Length && Compare(sortedValues[at], max) <= 0;
    }

    /// <summary>The order of statistics: ordinal for strings, numeric for numbers, natural for dates and times.</summary>
    public static int CompareValues(object? a, object? b) => a is null || b is null ? (a is null ? 0 : 1) - (b is null ? 0 : 1) : Compare(a, b);

    private static readonly IComparer<object> s_comparer = Comparer<object>.Create(CompareValues);

    private static bool Within(object min, object max, object? lower, object? upper) =>
        (lower is null || Compare(max, lower) >= 0) && (upper is null || Compare(min, upper) <= 0);

    private static int Compare(object a, object b) => (a, b) switch
    {
        (string x, string y) => string.CompareOrdinal(x, y),
        (long or int or short or sbyte, long or int or short or sbyte) => Convert.ToInt64(a, CultureInfo.InvariantCulture).CompareTo(Convert.ToInt64(b, CultureInfo.InvariantCulture)),
        (double or float, _) or (_, double or float) => Convert.ToDouble(a, CultureInfo.InvariantCulture).CompareTo(Convert.ToDouble(b, CultureInfo.InvariantCulture)),
        (decimal x, _) => x.CompareTo(Convert.ToDecimal(b, CultureInfo.InvariantCulture)),
        (IComparable x, _) when a.GetType() == b.GetType() => x.CompareTo(b),
        _ => throw new ArgumentException($"Cannot compare a {a.GetType().Name} column bound with a {b.GetType().Name} value."),
    };

    private static bool TryGet(JsonElement root, string section, string column, out JsonElement value)
    {
        value = default;
        return root.TryGetProperty(section, out var s) && s.ValueKind == JsonValueKind.Object && s.TryGetProperty(column, out value) && value.ValueKind != JsonValueKind.Null;
    }

    private static bool AllNull(JsonElement root, string column) =>
        root.TryGetProperty("numRecords", out var n) && root.TryGetProperty("nullCount", out var nulls) &&
        nulls.TryGetProperty(column, out var count) && count.ValueKind == JsonValueKind.Number && count.GetInt64() == n.GetInt64();

    private static object? Parse(JsonElement value, DeltaType type)
    {
        try
        {
            return type switch
            {
                PrimitiveType p when p == PrimitiveType.String => value.GetString(),
                PrimitiveType p when p == PrimitiveType.Long || p == PrimitiveType.Integer || p == PrimitiveType.Short || p == PrimitiveType.Byte => value.GetInt64(),
                PrimitiveType p when p == PrimitiveType.Double || p == PrimitiveType.Float => value.GetDouble(),
                PrimitiveType p when p == PrimitiveType.Date => DateOnly.ParseExact(value.GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
                PrimitiveType p when p == PrimitiveType.Timestamp => DateTimeOffset.Parse(value.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                DecimalType => value.GetDecimal(),
                _ => null,
            };
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            return null;
        }
    }
}
