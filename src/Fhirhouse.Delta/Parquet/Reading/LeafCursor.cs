namespace Fhirhouse.Delta.Parquet.Reading;

/// <summary>The levels and converted values of one leaf column of one row group, and a read position.</summary>
internal sealed class LeafCursor(short[] def, short[] rep, object?[] values, int count, int maxDef)
{
    public int Position { get; set; }

    public int Count => count;

    public int MaxDef => maxDef;

    public short PeekDef() => def[Position];

    public bool NextContinues(int repLevel) => Position < count && rep[Position] >= repLevel;

    /// <summary>The value at the position (null when not defined down to the leaf), and moves on.</summary>
    public object? Take()
    {
        var value = def[Position] == maxDef ? values[Position] : null;
        Position++;
        return value;
    }
}
