namespace Fhirhouse.Query.Access;

/// <summary>A lake table a query names: its name in SQL (without time travel), its Delta path and its columns (DuckDB types).</summary>
public sealed record TableAccessRequest(string Name, string Path, IReadOnlyList<QueryColumn> Columns);
