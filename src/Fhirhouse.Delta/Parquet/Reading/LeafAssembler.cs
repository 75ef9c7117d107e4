namespace Fhirhouse.Delta.Parquet.Reading;

/// <summary>A primitive leaf.</summary>
internal sealed class LeafAssembler(LeafCursor cursor) : ColumnAssembler(cursor.MaxDef, true, [cursor])
{
    public override object? Read() => First.Take();
}
