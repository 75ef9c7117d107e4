using Fhirhouse.Delta.Schema;

namespace Fhirhouse.Delta.Scan;

/// <summary>
/// Whether a file may hold a row whose column satisfies a comparison, from its partition value (exact) or its
/// statistics (bounds). A file is ruled out only when the comparison is certainly false for all its rows: no
/// statistics, a bound that cannot be compared (non-ASCII text, NaN) or cannot be trusted keeps it. Untrusted bounds:
/// a text maximum of 32 characters or more (engines that truncate string statistics at 32 characters may record a
/// prefix, below the true maximum). Timestamp maxima are truncated to the millisecond, so they are widened to its end.
/// </summary>
internal static class DataSkipping
{
    /// <summary>The length from which a text maximum may be a truncated prefix.</summary>
    private const int TruncatedTextLength = 32;

    public static bool MayHold(ScanFile file, StructField field, bool isPartition, Comparison comparison, object value)
    {
        if (isPartition)
        {
            return ScanValues.Normalize(file.PartitionValue(field.Name)) is { } partition
                && (ScanValues.CompareExact(partition, value) is not { } order || Holds(order, comparison));
        }

        var (min, max, allNull) = Bounds(file, field);
        if (allNull)
        {
            return false;
        }

        var vsMin = min is null ? null : ScanValues.Compare(value, min);
        var vsMax = max is null ? null : ScanValues.Compare(value, max);
        return comparison switch
        {
            Comparison.Equal => !(vsMin < 0 || vsMax > 0),
            Comparison.Less => !(vsMin <= 0),
            Comparison.LessOrEqual => !(vsMin < 0),
            Comparison.Greater => !(vsMax >= 0),
            Comparison.GreaterOrEqual => !(vsMax > 0),
            _ => true,
        };
    }

    /// <summary>Whether the file may hold a row whose column equals one of <paramref name="values"/> (distinct, sorted by <see cref="ScanValues.Compare"/>);
    /// <paramref name="comparable"/> is false when one of them cannot be compared with bounds (non-ASCII text).</summary>
    public static bool MayHoldAny(ScanFile file, StructField field, bool isPartition, object[] values, bool comparable)
    {
        if (values.Length == 0)
        {
            return false;
        }

        if (isPartition)
        {
            if (ScanValues.Normalize(file.PartitionValue(field.Name)) is not { } partition)
            {
                return false;
            }

            foreach (var value in values)
            {
                if (ScanValues.CompareExact(partition, value) is not { } order || order == 0)
                {
                    return true;
                }
            }

            return false;
        }

        var (min, max, allNull) = Bounds(file, field);
        if (allNull)
        {
            return false;
        }

        if (!comparable)
        {
            return true;
        }

        if (min is null || max is null)
        {
            return values.Any(v => MayHold(file, field, false, Comparison.Equal, v));
        }

        // The first value at or above the minimum: the file may hold a value when that one is at or below the maximum.
        int lo = 0, hi = values.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (ScanValues.Compare(values[mid], min) is { } order && order < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo < values.Length && !(ScanValues.Compare(values[lo], max) > 0);
    }

    private static bool Holds(int order, Comparison comparison) => comparison switch
    {
        Comparison.Equal => order == 0,
        Comparison.Less => order < 0,
        Comparison.LessOrEqual => order <= 0,
        Comparison.Greater => order > 0,
        Comparison.GreaterOrEqual => order >= 0,
        _ => true,
    };

    /// <summary>The trusted bounds of a data column (null when unknown), and whether every row is null.</summary>
    private static (object? Min, object? Max, bool AllNull) Bounds(ScanFile file, StructField field)
    {
        if (file.Statistics is not { } statistics)
        {
            return (null, null, false);
        }

        if (statistics.AllNull(field.Name))
        {
            return (null, null, true);
        }

        var min = statistics.MinValues.GetValueOrDefault(field.Name) switch
        {
            string text when !System.Text.Ascii.IsValid(text) => null,
            var other => other,
        };
        var max = statistics.MaxValues.GetValueOrDefault(field.Name) switch
        {
            string text when text.Length >= TruncatedTextLength || !System.Text.Ascii.IsValid(text) => null,
            DateTimeOffset time => time.AddMilliseconds(1).AddTicks(-1),
            DateTime time => time.AddMilliseconds(1).AddTicks(-1),
            var other => other,
        };
        return (min, max, false);
    }
}
