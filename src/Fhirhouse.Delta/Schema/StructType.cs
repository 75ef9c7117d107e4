namespace Fhirhouse.Delta.Schema;

/// <summary>A struct: ordered named fields. A table schema is a struct; a struct row value is an <c>object?[]</c>.</summary>
public sealed record StructType : DeltaType
{
    public StructType(IReadOnlyList<StructField> fields)
    {
        Fields = fields;
    }

    public StructType(params StructField[] fields)
        : this((IReadOnlyList<StructField>)fields)
    {
    }

    public IReadOnlyList<StructField> Fields { get; }

    /// <summary>The index of the field named <paramref name="name"/> (case-insensitive, as Delta names are), or -1.</summary>
    public int IndexOf(string name)
    {
        for (var i = 0; i < Fields.Count; i++)
        {
            if (string.Equals(Fields[i].Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    public bool Equals(StructType? other) =>
        other is not null && Fields.Count == other.Fields.Count && Fields.SequenceEqual(other.Fields, StructFieldComparer.Instance);

    public override int GetHashCode() => Fields.Count;

    public override string ToString() => "struct<" + string.Join(",", Fields.Select(f => f.Name + ":" + f.Type)) + ">";

    private sealed class StructFieldComparer : IEqualityComparer<StructField>
    {
        public static readonly StructFieldComparer Instance = new();

        public bool Equals(StructField? x, StructField? y) =>
            x is not null && y is not null && x.Name == y.Name && x.Type == y.Type && x.Nullable == y.Nullable;

        public int GetHashCode(StructField obj) => obj.Name.GetHashCode(StringComparison.Ordinal);
    }
}
