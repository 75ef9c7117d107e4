namespace Fhirhouse.Query;

/// <summary>A result column: its name and DuckDB type name (VARCHAR, BIGINT, DOUBLE, TIMESTAMP WITH TIME ZONE...).</summary>
public sealed record QueryColumn(string Name, string Type);
