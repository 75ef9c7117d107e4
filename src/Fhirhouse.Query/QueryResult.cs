namespace Fhirhouse.Query;

/// <summary>
/// The answer of a query: columns, rows (each an <c>object?[]</c> in column order, values as DuckDB returns them:
/// string, long, int, double, decimal, bool, DateTime, DateOnly...), and the lake tables it read.
/// </summary>
public sealed record QueryResult(IReadOnlyList<QueryColumn> Columns, IReadOnlyList<object?[]> Rows, IReadOnlyList<TableScan> Tables);
