namespace Fhirhouse.Fhir.Views;

/// <summary>A materialised row: the values as CLR objects (see <see cref="ColumnValue.ToObject"/>), in column order.</summary>
public sealed class ViewRow
{
    private readonly IReadOnlyList<ViewColumn> _columns;

    internal ViewRow(IReadOnlyList<ViewColumn> columns, object?[] values)
    {
        _columns = columns;
        Values = values;
    }

    /// <summary>The values in column order.</summary>
    public IReadOnlyList<object?> Values { get; }

    /// <summary>The value of the named column.</summary>
    public object? this[string column]
    {
        get
        {
            for (var i = 0; i < _columns.Count; i++)
            {
                if (string.Equals(_columns[i].Name, column, StringComparison.Ordinal))
                {
                    return Values[i];
                }
            }

            throw new KeyNotFoundException($"The view has no column '{column}'.");
        }
    }
}
