namespace Fhirhouse.Query.Pruning;

/// <summary>
/// <c>column OP constant</c> (or <c>column IN (constants)</c>) found in a WHERE clause for one table. Constants are
/// <see cref="decimal"/>, <see cref="double"/> or <see cref="string"/> as DuckDB parsed them.
/// </summary>
internal sealed record ColumnPredicate(string Column, ComparisonOperator Operator, IReadOnlyList<object> Values);
