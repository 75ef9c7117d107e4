using Fhirhouse.Delta.Actions;
using Fhirhouse.Delta.Schema;

namespace Fhirhouse.Delta.Scan;

/// <summary>
/// What a snapshot's scan files need from its metadata: the table path (object keys), the partition columns with their
/// physical names, and the top-level columns statistics are recorded for, by physical name.
/// </summary>
internal sealed class ScanColumns
{
    public ScanColumns(string tablePath, Metadata metadata)
    {
        TablePath = tablePath;
        var schema = metadata.Schema;
        var mode = metadata.ColumnMapping;
        var partitions = new List<(StructField, string)>();
        foreach (var column in metadata.PartitionColumns)
        {
            var index = schema.IndexOf(column);
            if (index < 0)
            {
                throw new DeltaProtocolException(tablePath, $"partition column '{column}' is not in the schema.");
            }

            partitions.Add((schema.Fields[index], schema.Fields[index].PhysicalName(mode)));
        }

        Partitions = partitions;
        foreach (var field in schema.Fields)
        {
            if (ScanValues.ValueType(field.Type) is not null && !partitions.Any(p => ReferenceEquals(p.Item1, field)))
            {
                ByPhysicalName[field.PhysicalName(mode)] = field;
            }
        }
    }

    public string TablePath { get; }

    /// <summary>The partition columns, in the table's order, with their names in the log.</summary>
    public IReadOnlyList<(StructField Field, string Physical)> Partitions { get; }

    /// <summary>The comparable top-level data columns by the name statistics give them.</summary>
    public Dictionary<string, StructField> ByPhysicalName { get; } = new(StringComparer.Ordinal);
}
