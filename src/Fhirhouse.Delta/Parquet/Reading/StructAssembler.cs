namespace Fhirhouse.Delta.Parquet.Reading;

/// <summary>A struct: its fields in Delta schema order; a field absent from the file reads as null.</summary>
internal sealed class StructAssembler(int defLevel, bool nullable, IReadOnlyList<ColumnAssembler?> fields, IReadOnlyList<LeafCursor> leaves)
    : ColumnAssembler(defLevel, nullable, leaves)
{
    public override object? Read()
    {
        if (Leaves.Count == 0)
        {
            return null;
        }

        if (IsNullHere())
        {
            SkipOne();
            return null;
        }

        var values = new object?[fields.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = fields[i]?.Read();
        }

        return values;
    }

    /// <summary>Reads one top-level row (the root struct is never null).</summary>
    public object?[] ReadRow()
    {
        var values = new object?[fields.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = fields[i]?.Read();
        }

        return values;
    }
}
