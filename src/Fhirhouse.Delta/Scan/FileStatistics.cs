using System.Globalization;
using System.Text.Json;
using Fhirhouse.Delta.Schema;

namespace Fhirhouse.Delta.Scan;

/// <summary>
/// The statistics a writer recorded for one data file, parsed: <see cref="NumRecords"/>, and per top-level column
/// (logical name, case-insensitive) its minimum and maximum as typed values (string, long for every integral type,
/// double, decimal, DateOnly, DateTimeOffset, DateTime for timestamp_ntz) and its null count. A column without a
/// recorded or readable bound is absent from <see cref="MinValues"/>/<see cref="MaxValues"/>. Bounds are as written:
/// timestamps truncated to milliseconds, long strings cut to a prefix (a minimum, and no maximum) by writers that
/// follow <see cref="StatisticsRules"/>.
/// </summary>
public sealed class FileStatistics
{
    private static readonly IReadOnlyDictionary<string, object> s_none = new Dictionary<string, object>();

    private FileStatistics(long? numRecords, IReadOnlyDictionary<string, object> min, IReadOnlyDictionary<string, object> max, IReadOnlyDictionary<string, long> nullCount)
    {
        NumRecords = numRecords;
        MinValues = min;
        MaxValues = max;
        NullCount = nullCount;
    }

    /// <summary>Rows in the file, when recorded.</summary>
    public long? NumRecords { get; }

    /// <summary>The smallest value of each column with one recorded.</summary>
    public IReadOnlyDictionary<string, object> MinValues { get; }

    /// <summary>The largest value of each column with one recorded.</summary>
    public IReadOnlyDictionary<string, object> MaxValues { get; }

    /// <summary>The null count of each column with one recorded.</summary>
    public IReadOnlyDictionary<string, long> NullCount { get; }

    /// <summary>True when every row of the file has null in <paramref name="column"/> (as far as the statistics tell).</summary>
    public bool AllNull(string column) => NumRecords is { } n && NullCount.TryGetValue(column, out var nulls) && nulls == n;

    /// <summary>numRecords of a stats JSON, or null when absent (without parsing the bounds).</summary>
    internal static long? NumRecordsOf(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        using var document = JsonDocument.Parse(json);
        return document.RootElement.TryGetProperty("numRecords", out var n) && n.ValueKind == JsonValueKind.Number && n.TryGetInt64(out var count) ? count : null;
    }

    /// <summary>The statistics of a stats JSON, or null when the writer recorded none (or they are not JSON).</summary>
    internal static FileStatistics? Parse(string? json, ScanColumns columns)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            long? numRecords = root.TryGetProperty("numRecords", out var n) && n.ValueKind == JsonValueKind.Number && n.TryGetInt64(out var count) ? count : null;
            var nullCount = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
            if (root.TryGetProperty("nullCount", out var nulls) && nulls.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in nulls.EnumerateObject())
                {
                    if (columns.ByPhysicalName.TryGetValue(property.Name, out var field) && property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt64(out var c))
                    {
                        nullCount[field.Name] = c;
                    }
                }
            }

            return new FileStatistics(numRecords, Bounds(root, "minValues", columns), Bounds(root, "maxValues", columns), nullCount);
        }
    }

    private static IReadOnlyDictionary<string, object> Bounds(JsonElement root, string section, ScanColumns columns)
    {
        if (!root.TryGetProperty(section, out var values) || values.ValueKind != JsonValueKind.Object)
        {
            return s_none;
        }

        var bounds = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in values.EnumerateObject())
        {
            if (columns.ByPhysicalName.TryGetValue(property.Name, out var field) && Value(property.Value, field.Type) is { } value)
            {
                bounds[field.Name] = value;
            }
        }

        return bounds;
    }

    /// <summary>A bound as the column's value type, or null when it is not one (nested, null, unreadable).</summary>
    private static object? Value(JsonElement value, DeltaType type)
    {
        var expected = ScanValues.ValueType(type);
        var inv = CultureInfo.InvariantCulture;
        return (value.ValueKind, expected) switch
        {
            (JsonValueKind.String, var t) when t == typeof(string) => value.GetString(),
            (JsonValueKind.Number, var t) when t == typeof(long) => value.TryGetInt64(out var l) ? l : null,
            (JsonValueKind.Number, var t) when t == typeof(double) => value.TryGetDouble(out var d) && !double.IsNaN(d) ? d : null,
            (JsonValueKind.Number, var t) when t == typeof(decimal) => value.TryGetDecimal(out var m) ? m : null,
            (JsonValueKind.String, var t) when t == typeof(DateOnly) =>
                DateOnly.TryParseExact(value.GetString(), "yyyy-MM-dd", inv, DateTimeStyles.None, out var day) ? day : null,
            (JsonValueKind.String, var t) when t == typeof(DateTimeOffset) =>
                DateTimeOffset.TryParse(value.GetString(), inv, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time) ? time : null,
            (JsonValueKind.String, var t) when t == typeof(DateTime) =>
                DateTime.TryParse(value.GetString(), inv, DateTimeStyles.None, out var local) ? local : null,
            _ => null,
        };
    }
}
