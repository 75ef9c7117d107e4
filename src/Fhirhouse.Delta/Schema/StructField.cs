namespace Fhirhouse.Delta.Schema;

/// <summary>One field of a struct: name, type, nullability and the field's metadata (raw JSON values).</summary>
public sealed record StructField(string Name, DeltaType Type, bool Nullable = true, IReadOnlyDictionary<string, string>? Metadata = null)
{
    internal const string PhysicalNameKey = "delta.columnMapping.physicalName";
    internal const string ColumnIdKey = "delta.columnMapping.id";

    /// <summary>The metadata, empty when none was given. Values are JSON texts ("\"x\"", "3", "{...}").</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; init; } = Metadata ?? new Dictionary<string, string>();

    /// <summary>The column name in data files and partition values (column mapping), or <see cref="Name"/>.</summary>
    public string PhysicalName(ColumnMappingMode mode) =>
        mode != ColumnMappingMode.None && Metadata.TryGetValue(PhysicalNameKey, out var json)
            ? System.Text.Json.JsonSerializer.Deserialize<string>(json) ?? Name
            : Name;

    /// <summary>The Parquet field id under column mapping mode "id", or null.</summary>
    public int? FieldId(ColumnMappingMode mode) =>
        mode == ColumnMappingMode.Id && Metadata.TryGetValue(ColumnIdKey, out var json)
            ? int.Parse(json, System.Globalization.CultureInfo.InvariantCulture)
            : null;
}
