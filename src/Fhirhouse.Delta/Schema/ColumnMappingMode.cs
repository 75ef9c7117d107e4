namespace Fhirhouse.Delta.Schema;

/// <summary>The table's <c>delta.columnMapping.mode</c>.</summary>
public enum ColumnMappingMode
{
    None,
    Name,
    Id,
}
