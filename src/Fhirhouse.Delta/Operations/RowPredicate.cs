using Fhirhouse.Delta.Actions;
using Fhirhouse.Delta.Schema;
using Fhirhouse.Delta.Transactions;

namespace Fhirhouse.Delta.Operations;

/// <summary>
/// Which rows a DELETE, UPDATE or replace touches. <see cref="In"/> is an expression the table understands: files whose
/// partition values or min/max statistics rule every value out are not read. <see cref="Where"/> is any test over a
/// row (<c>object?[]</c> in schema order) and reads every file.
/// </summary>
public abstract class RowPredicate
{
    private protected RowPredicate()
    {
    }

    /// <summary>
    /// The rows whose <paramref name="column"/> equals one of <paramref name="values"/> (SQL <c>IN</c>: a null never
    /// matches), for string, integral (given as long or int), boolean and date (DateOnly) columns.
    /// </summary>
    public static RowPredicate In(string column, IEnumerable<object> values)
    {
        ArgumentException.ThrowIfNullOrEmpty(column);
        ArgumentNullException.ThrowIfNull(values);
        return new InValues(column, [.. values.Select(v => v is int i ? (long)i : v ?? throw new ArgumentException("IN takes no null value (a null never matches).", nameof(values)))]);
    }

    /// <summary>The rows whose <paramref name="column"/> equals <paramref name="value"/>.</summary>
    public static RowPredicate Equal(string column, object value) => In(column, [value]);

    /// <summary>The rows for which <paramref name="test"/> is true; every file is read.</summary>
    public static RowPredicate Where(Func<object?[], bool> test)
    {
        ArgumentNullException.ThrowIfNull(test);
        return new Opaque(test);
    }

    /// <summary>Resolves the predicate against a snapshot's schema.</summary>
    /// <exception cref="ArgumentException">A column is not in the schema, or a value does not have its type.</exception>
    internal abstract BoundRowPredicate Bind(Snapshot snapshot);

    private sealed class Opaque(Func<object?[], bool> test) : RowPredicate
    {
        internal override BoundRowPredicate Bind(Snapshot snapshot) => new BoundRowPredicate(_ => true, test);
    }

    private sealed class InValues(string column, object[] values) : RowPredicate
    {
        internal override BoundRowPredicate Bind(Snapshot snapshot)
        {
            var index = snapshot.Schema.IndexOf(column);
            if (index < 0)
            {
                throw new ArgumentException($"Column '{column}' is not in the schema of '{snapshot.TablePath}'.", nameof(column));
            }

            var field = snapshot.Schema.Fields[index];
            var expected = RowType(field.Type) ?? throw new ArgumentException(
                $"Column '{column}' of '{snapshot.TablePath}' has type {field.Type}; IN compares string, integral, boolean and date columns.", nameof(column));
            foreach (var value in values)
            {
                if (value.GetType() != expected)
                {
                    throw new ArgumentException($"Column '{column}' holds {expected.Name} values; IN was given a {value.GetType().Name}.", nameof(values));
                }
            }

            var set = new HashSet<object>(values);
            var sorted = values.Distinct().ToArray();
            Array.Sort(sorted, ColumnBounds.CompareValues);
            var isPartition = snapshot.PartitionColumns.Contains(field.Name, StringComparer.OrdinalIgnoreCase);
            var physical = field.PhysicalName(snapshot.Metadata.ColumnMapping);
            return new BoundRowPredicate(
                file => sorted.Length > 0 && ColumnBounds.MayContainAny(file, field, physical, isPartition, sorted),
                row => row[index] is { } v && set.Contains(v is int or short or sbyte ? Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture) : v));
        }

        private static Type? RowType(DeltaType type) => type switch
        {
            PrimitiveType p when p == PrimitiveType.String => typeof(string),
            PrimitiveType p when p == PrimitiveType.Long || p == PrimitiveType.Integer || p == PrimitiveType.Short || p == PrimitiveType.Byte => typeof(long),
            PrimitiveType p when p == PrimitiveType.Boolean => typeof(bool),
            PrimitiveType p when p == PrimitiveType.Date => typeof(DateOnly),
            _ => null,
        };
    }
}

/// <summary>A predicate resolved against one snapshot: whether a file may hold a matching row, and whether a row matches.</summary>
internal sealed class BoundRowPredicate(Func<AddFile, bool> mayMatch, Func<object?[], bool> matches)
{
    public bool MayMatch(AddFile file) => mayMatch(file);

    public bool Matches(object?[] row) => matches(row);
}
