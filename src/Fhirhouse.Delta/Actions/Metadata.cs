using Fhirhouse.Delta.Schema;

namespace Fhirhouse.Delta.Actions;

/// <summary>The metaData action: table id, schema, partition columns and configuration.</summary>
public sealed record Metadata(
    string Id,
    string? Name,
    string? Description,
    FileFormat Format,
    string SchemaString,
    IReadOnlyList<string> PartitionColumns,
    IReadOnlyDictionary<string, string> Configuration,
    long? CreatedTime) : DeltaAction
{
    private (string Source, StructType Schema)? _parsed;

    /// <summary>The parsed schema; throws <see cref="DeltaProtocolException"/> when the action has no schemaString.</summary>
    public StructType Schema
    {
        get
        {
            if (_parsed is { } parsed && ReferenceEquals(parsed.Source, SchemaString))
            {
                return parsed.Schema;
            }

            var schema = SchemaString.Length > 0
                ? SchemaJson.Parse(SchemaString)
                : throw new DeltaProtocolException($"metaData {Id}", "the metaData action has no schemaString.");
            _parsed = (SchemaString, schema);
            return schema;
        }
    }

    /// <summary>The column mapping mode from <c>delta.columnMapping.mode</c>.</summary>
    public ColumnMappingMode ColumnMapping =>
        Configuration.TryGetValue("delta.columnMapping.mode", out var mode)
            ? mode.ToUpperInvariant() switch
            {
                "NAME" => ColumnMappingMode.Name,
                "ID" => ColumnMappingMode.Id,
                _ => ColumnMappingMode.None,
            }
            : ColumnMappingMode.None;

    /// <summary>True when <c>delta.enableChangeDataFeed</c> is "true".</summary>
    public bool ChangeDataFeedEnabled =>
        Configuration.TryGetValue("delta.enableChangeDataFeed", out var v) && string.Equals(v, "true", StringComparison.OrdinalIgnoreCase);
}
