namespace Fhirhouse.Query.Access;

/// <summary>
/// How a table may be read: <see cref="Masks"/> by column name (matched without regard to case, as DuckDB matches
/// columns; other columns as stored) and an optional <see cref="RowFilter"/>, a DuckDB predicate over the table's raw
/// columns that every row read must satisfy.
/// </summary>
public sealed record TableAccess(IReadOnlyDictionary<string, ColumnMask> Masks, string? RowFilter)
{
    /// <summary>The masks by column name, case-insensitive whatever the dictionary given.</summary>
    public IReadOnlyDictionary<string, ColumnMask> Masks { get; } = CaseInsensitive(Masks);

    /// <summary>Every column as stored, every row.</summary>
    public static TableAccess Unrestricted { get; } = new(new Dictionary<string, ColumnMask>(), null);

    /// <summary>True when some column is masked or rows are filtered.</summary>
    public bool IsRestricted => Masks.Count > 0 || RowFilter is not null;

    private static Dictionary<string, ColumnMask> CaseInsensitive(IReadOnlyDictionary<string, ColumnMask> masks)
    {
        ArgumentNullException.ThrowIfNull(masks);
        var result = new Dictionary<string, ColumnMask>(masks.Count, StringComparer.OrdinalIgnoreCase);
        foreach (var (column, mask) in masks)
        {
            if (result.TryGetValue(column, out var other) && other != mask)
            {
                throw new ArgumentException($"Column '{column}' has two masks that differ only by the case of its name ({other.Kind} and {mask.Kind}).", nameof(masks));
            }

            result[column] = mask;
        }

        return result;
    }
}
