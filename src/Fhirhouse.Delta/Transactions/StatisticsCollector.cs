using System.Data.SqlTypes;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Fhirhouse.Delta.Schema;

namespace Fhirhouse.Delta.Transactions;

/// <summary>
/// Per-file statistics as the protocol defines them: numRecords, and per leaf column (structs nested) minValues,
/// maxValues and nullCount. Timestamps are truncated to milliseconds; binary and boolean columns get only nullCount.
/// Strings longer than <see cref="StatisticsRules.MaxStringLength"/> characters get a prefix as minimum and no maximum.
/// </summary>
internal static class StatisticsCollector
{
    public static string Collect(StructType schema, IReadOnlyList<object?[]> rows)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("numRecords", rows.Count);
            var columns = schema.Fields.Select((f, i) => Column(f, rows.Select(r => r[i]).ToList())).ToList();
            WriteSection(w, "minValues", schema, columns, c => c.Min);
            WriteSection(w, "maxValues", schema, columns, c => c.Max);
            WriteNullCounts(w, schema, columns);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static ColumnStats Column(StructField field, List<object?> values)
    {
        if (field.Type is StructType st)
        {
            var children = st.Fields.Select((f, i) => Column(f, values.Select(v => v is object?[] s ? s[i] : null).ToList())).ToList();
            return new ColumnStats(null, null, values.Count(v => v is null), children);
        }

        var nulls = 0L;
        object? min = null, max = null;
        var orderable = field.Type is DecimalType || (field.Type is PrimitiveType p && p != PrimitiveType.Binary && p != PrimitiveType.Boolean);
        foreach (var value in values)
        {
            if (value is null)
            {
                nulls++;
                continue;
            }

            if (!orderable || field.Type is not (PrimitiveType or DecimalType) || value is double.NaN or float.NaN)
            {
                continue;
            }

            var v = Normalize(value);
            if (min is null || Compare(v, min) < 0)
            {
                min = v;
            }

            if (max is null || Compare(v, max) > 0)
            {
                max = v;
            }
        }

        return new ColumnStats(min is string low ? StatisticsRules.Min(low) : min, max is string high ? StatisticsRules.Max(high) : max, nulls, null);
    }

    private static object Normalize(object value) => value switch
    {
        DateTimeOffset t => new DateTimeOffset(t.UtcTicks - (t.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero),
        DateTime t => new DateTime(t.Ticks - (t.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Unspecified),
        _ => value,
    };

    private static int Compare(object a, object b) => (a, b) switch
    {
        (string x, string y) => string.CompareOrdinal(x, y),
        (SqlDecimal x, SqlDecimal y) => x.CompareTo(y),
        (IComparable x, _) => x.CompareTo(b),
        _ => 0,
    };

    private static void WriteSection(Utf8JsonWriter w, string name, StructType schema, List<ColumnStats> columns, Func<ColumnStats, object?> pick)
    {
        w.WriteStartObject(name);
        for (var i = 0; i < schema.Fields.Count; i++)
        {
            var c = columns[i];
            if (c.Children is not null)
            {
                WriteSection(w, schema.Fields[i].Name, (StructType)schema.Fields[i].Type, c.Children, pick);
            }
            else if (pick(c) is { } value)
            {
                w.WritePropertyName(schema.Fields[i].Name);
                WriteValue(w, value);
            }
        }

        w.WriteEndObject();
    }

    private static void WriteNullCounts(Utf8JsonWriter w, StructType schema, List<ColumnStats> columns, string name = "nullCount")
    {
        w.WriteStartObject(name);
        for (var i = 0; i < schema.Fields.Count; i++)
        {
            if (columns[i].Children is { } children)
            {
                WriteNullCounts(w, (StructType)schema.Fields[i].Type, children, schema.Fields[i].Name);
            }
            else
            {
                w.WriteNumber(schema.Fields[i].Name, columns[i].Nulls);
            }
        }

        w.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter w, object value)
    {
        switch (value)
        {
            case string s:
                w.WriteStringValue(s);
                break;
            case DateOnly d:
                w.WriteStringValue(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                break;
            case DateTimeOffset t:
                w.WriteStringValue(t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
                break;
            case DateTime t:
                w.WriteStringValue(t.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture));
                break;
            case SqlDecimal s:
                w.WriteRawValue(s.ToString());
                break;
            case decimal m:
                w.WriteNumberValue(m);
                break;
            case float f:
                w.WriteNumberValue(f);
                break;
            case double d:
                w.WriteNumberValue(d);
                break;
            default:
                w.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    private sealed record ColumnStats(object? Min, object? Max, long Nulls, List<ColumnStats>? Children);
}
