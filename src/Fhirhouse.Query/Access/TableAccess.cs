namespace Fhirhouse.Query.Access;

/// <summary>
/// How a table may be read: <see cref="Masks"/> by column name (other columns as stored) and an optional
/// <see cref="RowFilter"/>, a DuckDB predicate over the table's raw columns that every row read must satisfy.
/// </summary>
public sealed record TableAccess(IReadOnlyDictionary<string, ColumnMask> Masks, string? RowFilter)
{
    /// <summary>Every column as stored, every row.</summary>
    public static TableAccess Unrestricted { get; } = new(new Dictionary<string, ColumnMask>(StringComparer.Ordinal), null);
}
