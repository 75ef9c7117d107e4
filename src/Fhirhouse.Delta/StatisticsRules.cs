using System.Globalization;
using Encoding = System.Text.Encoding;
using ParquetSharp;

namespace Fhirhouse.Delta;

/// <summary>
/// The rules this library's writers follow for per-file string statistics, public so that a caller writing its own
/// data files (<see cref="DataFile"/>) records the same: a string longer than <see cref="MaxStringLength"/> characters
/// gets a prefix as its minimum (still a lower bound) and no maximum, so the log never carries whole documents. Writers
/// by column (<see cref="Columnar.ColumnBatch"/>, bronze) take their text and timestamp bounds from <see cref="TextBounds"/>
/// and <see cref="TimestampBound"/>.
/// </summary>
public static class StatisticsRules
{
    public const int MaxStringLength = 64;

    /// <summary>The minimum to record for <paramref name="value"/>.</summary>
    public static string Min(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length <= MaxStringLength)
        {
            return value;
        }

        var cut = char.IsHighSurrogate(value[MaxStringLength - 1]) ? MaxStringLength - 1 : MaxStringLength;
        return value[..cut];
    }

    /// <summary>The maximum to record for <paramref name="value"/>, or null when none may be.</summary>
    public static string? Max(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length <= MaxStringLength ? value : null;
    }

    /// <summary>
    /// The minimum and maximum to record for a text column given as UTF-8 values (non-null, at least one), compared in
    /// UTF-8 byte order: the byte order DuckDB and Spark compare strings in.
    /// </summary>
    public static unsafe (string Min, string? Max) TextBounds(ReadOnlySpan<ByteArray> values)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("A text column's bounds need at least one value.", nameof(values));
        }

        var min = Span(values[0]);
        var max = min;
        for (var i = 1; i < values.Length; i++)
        {
            var candidate = Span(values[i]);
            if (candidate.SequenceCompareTo(min) < 0)
            {
                min = candidate;
            }
            else if (candidate.SequenceCompareTo(max) > 0)
            {
                max = candidate;
            }
        }

        return (Min(Encoding.UTF8.GetString(min)), Max(Encoding.UTF8.GetString(max)));

        static ReadOnlySpan<byte> Span(ByteArray value) => new((void*)value.Pointer, value.Length);
    }

    /// <summary>
    /// A timestamp bound (microseconds since the epoch) as the protocol records it, in milliseconds: the minimum rounded
    /// down, the maximum up, so both stay bounds.
    /// </summary>
    public static string TimestampBound(long micros, bool max)
    {
        var ms = Math.DivRem(micros, 1000, out var rest) + (rest < 0 && !max ? -1 : rest > 0 && max ? 1 : 0);
        return DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    }
}
