using System.Globalization;
using Fhirhouse.Delta.Operations;
using Fhirhouse.Delta.Scan;
using Fhirhouse.Delta.Schema;

namespace Fhirhouse.Query.Pruning;

/// <summary>
/// The WHERE clause's column predicates of a table as a Delta <see cref="RowPredicate"/>, for Delta's data skipping
/// (<see cref="Delta.Snapshot.ScanFiles"/>): each constant as DuckDB parsed it is converted to the column's value type
/// (a quoted date or time to a date or timestamp, a number to the column's numeric type). A predicate that cannot be
/// converted (an unknown or nested column, a fractional number against an integer column, a text that is not a date)
/// is left out: it only prunes less.
/// </summary>
internal static class ScanPredicate
{
    /// <summary>The conjunction of the predicates that can be converted, or null when none can.</summary>
    public static RowPredicate? Of(StructType schema, IReadOnlyList<ColumnPredicate> predicates)
    {
        var converted = new List<RowPredicate>();
        foreach (var predicate in predicates)
        {
            var index = schema.IndexOf(predicate.Column);
            if (index < 0)
            {
                continue;
            }

            var field = schema.Fields[index];
            var values = new List<object>(predicate.Values.Count);
            foreach (var constant in predicate.Values)
            {
                if (Value(constant, field.Type) is { } value)
                {
                    values.Add(value);
                }
            }

            if (values.Count != predicate.Values.Count || values.Count == 0)
            {
                continue;
            }

            converted.Add(predicate.Operator switch
            {
                ComparisonOperator.Equal or ComparisonOperator.In => RowPredicate.In(field.Name, values),
                ComparisonOperator.Less => RowPredicate.Compare(field.Name, Comparison.Less, values[0]),
                ComparisonOperator.LessOrEqual => RowPredicate.Compare(field.Name, Comparison.LessOrEqual, values[0]),
                ComparisonOperator.Greater => RowPredicate.Compare(field.Name, Comparison.Greater, values[0]),
                _ => RowPredicate.Compare(field.Name, Comparison.GreaterOrEqual, values[0]),
            });
        }

        return converted.Count == 0 ? null : RowPredicate.And(converted);
    }

    /// <summary>A constant (decimal, double or string, as DuckDB parsed it) as a value of a column of <paramref name="type"/>, or null.</summary>
    private static object? Value(object constant, DeltaType type)
    {
        var inv = CultureInfo.InvariantCulture;
        if (type == PrimitiveType.String)
        {
            return constant as string;
        }

        if (type == PrimitiveType.Long || type == PrimitiveType.Integer || type == PrimitiveType.Short || type == PrimitiveType.Byte)
        {
            var number = constant switch
            {
                decimal d => d,
                string s when decimal.TryParse(s, NumberStyles.Float, inv, out var d) => d,
                _ => (decimal?)null,
            };
            return number is { } n && n == decimal.Truncate(n) && n >= long.MinValue && n <= long.MaxValue ? (long)n : null;
        }

        if (type is DecimalType { Precision: <= DecimalType.MaxClrPrecision })
        {
            return constant switch
            {
                decimal d => d,
                string s when decimal.TryParse(s, NumberStyles.Float, inv, out var d) => d,
                _ => null,
            };
        }

        if (type == PrimitiveType.Double || type == PrimitiveType.Float)
        {
            return constant switch
            {
                decimal d => (double)d,
                double d when !double.IsNaN(d) => d,
                string s when double.TryParse(s, NumberStyles.Float, inv, out var d) && !double.IsNaN(d) => d,
                _ => null,
            };
        }

        if (type == PrimitiveType.Date)
        {
            return constant is string s && DateOnly.TryParseExact(s, "yyyy-MM-dd", inv, DateTimeStyles.None, out var day) ? day : null;
        }

        if (type == PrimitiveType.Timestamp)
        {
            return constant is string s && DateTimeOffset.TryParse(s, inv, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time) ? time : null;
        }

        return null;
    }
}
