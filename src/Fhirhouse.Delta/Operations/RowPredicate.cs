using Fhirhouse.Delta.Scan;
using Fhirhouse.Delta.Schema;

namespace Fhirhouse.Delta.Operations;

/// <summary>
/// Which rows a scan, DELETE, UPDATE or replace touches. <see cref="In"/>, <see cref="Equal"/>, <see cref="Compare"/>
/// and <see cref="And"/> are expressions the table understands: files whose partition values or min/max statistics
/// rule every row out are not read (data skipping). <see cref="Where"/> is any test over a row (<c>object?[]</c> in
/// schema order) and reads every file. Values have the column's row type: string, long (any integral column; int is
/// accepted), double (float and double), decimal, bool, DateOnly (date), DateTimeOffset (timestamp), DateTime
/// (timestamp_ntz). A null never matches (SQL semantics).
/// </summary>
public abstract class RowPredicate
{
    private protected RowPredicate()
    {
    }

    /// <summary>The rows whose <paramref name="column"/> equals one of <paramref name="values"/> (SQL <c>IN</c>).</summary>
    public static RowPredicate In(string column, IEnumerable<object> values)
    {
        ArgumentException.ThrowIfNullOrEmpty(column);
        ArgumentNullException.ThrowIfNull(values);
        return new InValues(column, [.. values.Select(v => ScanValues.Normalize(v) ?? throw new ArgumentException("IN takes no null value (a null never matches).", nameof(values)))]);
    }

    /// <summary>The rows whose <paramref name="column"/> equals <paramref name="value"/>.</summary>
    public static RowPredicate Equal(string column, object value) => In(column, [value]);

    /// <summary>The rows whose <paramref name="column"/> compares with <paramref name="value"/> as <paramref name="comparison"/> says.</summary>
    public static RowPredicate Compare(string column, Comparison comparison, object value)
    {
        ArgumentException.ThrowIfNullOrEmpty(column);
        ArgumentNullException.ThrowIfNull(value);
        if (!Enum.IsDefined(comparison))
        {
            throw new ArgumentOutOfRangeException(nameof(comparison), comparison, "Comparisons are Equal, Less, LessOrEqual, Greater and GreaterOrEqual.");
        }

        return new Comparing(column, comparison, ScanValues.Normalize(value)!);
    }

    /// <summary>The rows every one of <paramref name="predicates"/> matches (all of them when there is none).</summary>
    public static RowPredicate And(params IEnumerable<RowPredicate> predicates)
    {
        ArgumentNullException.ThrowIfNull(predicates);
        RowPredicate[] all = [.. predicates];
        return all.Any(p => p is null) ? throw new ArgumentException("AND takes no null predicate.", nameof(predicates)) : new AllOf(all);
    }

    /// <summary>The rows for which <paramref name="test"/> is true; every file is read.</summary>
    public static RowPredicate Where(Func<object?[], bool> test)
    {
        ArgumentNullException.ThrowIfNull(test);
        return new Opaque(null, test);
    }

    /// <summary>
    /// The rows for which <paramref name="test"/> is true, judged from <paramref name="columns"/> alone: a rewrite first
    /// reads only those columns of each file (the others are null in the row the test sees) and reads a file whole only
    /// when one of its rows matches. The test must not look at any other column.
    /// </summary>
    public static RowPredicate Where(IEnumerable<string> columns, Func<object?[], bool> test)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(test);
        string[] names = [.. columns];
        return names.Any(string.IsNullOrEmpty) ? throw new ArgumentException("A column name is empty.", nameof(columns)) : new Opaque(names, test);
    }

    /// <summary>Resolves the predicate against a snapshot's schema.</summary>
    /// <exception cref="ArgumentException">A column is not in the schema, or a value does not have its type.</exception>
    internal abstract BoundRowPredicate Bind(Snapshot snapshot);

    /// <summary>The column's index and field, and the type its values take.</summary>
    private protected static (int Index, StructField Field, bool IsPartition) Column(Snapshot snapshot, string column, IEnumerable<object> values, string what)
    {
        var index = snapshot.Schema.IndexOf(column);
        if (index < 0)
        {
            throw new ArgumentException($"Column '{column}' is not in the schema of '{snapshot.TablePath}'.", nameof(column));
        }

        var field = snapshot.Schema.Fields[index];
        var expected = ScanValues.ValueType(field.Type) ?? throw new ArgumentException(
            $"Column '{column}' of '{snapshot.TablePath}' has type {field.Type}; {what} compares string, numeric (decimal up to precision 28), boolean, date and timestamp columns.", nameof(column));
        foreach (var value in values)
        {
            if (value.GetType() != expected)
            {
                throw new ArgumentException($"Column '{column}' holds {expected.Name} values; {what} was given a {value.GetType().Name}.", nameof(values));
            }
        }

        return (index, field, snapshot.PartitionColumns.Contains(field.Name, StringComparer.OrdinalIgnoreCase));
    }

    private sealed class Opaque(string[]? columns, Func<object?[], bool> test) : RowPredicate
    {
        internal override BoundRowPredicate Bind(Snapshot snapshot) => new(_ => true, test, columns is null ? null : snapshot.ColumnIndexes(columns));
    }

    private sealed class AllOf(RowPredicate[] predicates) : RowPredicate
    {
        internal override BoundRowPredicate Bind(Snapshot snapshot)
        {
            var bound = predicates.Select(p => p.Bind(snapshot)).ToArray();
            HashSet<int>? columns = bound.Any(p => p.Columns is null) ? null : [.. bound.SelectMany(p => p.Columns!)];
            return new BoundRowPredicate(file => bound.All(p => p.MayMatch(file)), row => bound.All(p => p.Matches(row)), columns);
        }
    }

    private sealed class Comparing(string column, Comparison comparison, object value) : RowPredicate
    {
        internal override BoundRowPredicate Bind(Snapshot snapshot)
        {
            var (index, field, isPartition) = Column(snapshot, column, [value], comparison.ToString());
            return new BoundRowPredicate(
                file => DataSkipping.MayHold(file, field, isPartition, comparison, value),
                row => ScanValues.Normalize(row[index]) is { } v && Matches(v),
                new HashSet<int> { index });
        }

        private bool Matches(object rowValue)
        {
            // A row's text compares in full, whatever its characters: only bounds are judged conservatively.
            return ScanValues.CompareExact(rowValue, value) is { } o && comparison switch
            {
                Comparison.Equal => o == 0,
                Comparison.Less => o < 0,
                Comparison.LessOrEqual => o <= 0,
                Comparison.Greater => o > 0,
                Comparison.GreaterOrEqual => o >= 0,
                _ => false,
            };
        }
    }

    private sealed class InValues(string column, object[] values) : RowPredicate
    {
        internal override BoundRowPredicate Bind(Snapshot snapshot)
        {
            var (index, field, isPartition) = Column(snapshot, column, values, "IN");
            var set = new HashSet<object>(values);
            var sorted = set.ToArray();
            var comparable = sorted.All(v => v is not string s || System.Text.Ascii.IsValid(s));
            if (comparable)
            {
                Array.Sort(sorted, (a, b) => ScanValues.Compare(a, b) ?? 0);
            }

            return new BoundRowPredicate(
                file => DataSkipping.MayHoldAny(file, field, isPartition, sorted, comparable),
                row => ScanValues.Normalize(row[index]) is { } v && set.Contains(v),
                new HashSet<int> { index });
        }
    }
}

/// <summary>
/// A predicate resolved against one snapshot: whether a file may hold a matching row, whether a row matches, and the
/// columns (schema positions) a row needs for that (null: every column).
/// </summary>
internal sealed class BoundRowPredicate(Func<ScanFile, bool> mayMatch, Func<object?[], bool> matches, IReadOnlySet<int>? columns)
{
    public IReadOnlySet<int>? Columns => columns;

    public bool MayMatch(ScanFile file) => mayMatch(file);

    public bool Matches(object?[] row) => matches(row);
}
