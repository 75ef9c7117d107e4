namespace Fhirhouse.Delta.Parquet.Reading;

/// <summary>
/// Rebuilds the values of one field of a Delta schema from the levels of the Parquet leaves under it
/// (record assembly). All leaves under a node move in step: a null or empty value uses one entry of each.
/// </summary>
internal abstract class ColumnAssembler(int defLevel, bool nullable, IReadOnlyList<LeafCursor> leaves)
{
    protected int DefLevel { get; } = defLevel;

    protected bool Nullable { get; } = nullable;

    protected IReadOnlyList<LeafCursor> Leaves { get; } = leaves;

    /// <summary>Every leaf under this node.</summary>
    public IReadOnlyList<LeafCursor> AllLeaves => Leaves;

    protected LeafCursor First => Leaves[0];

    /// <summary>Reads the next value; the caller has checked that every ancestor is defined.</summary>
    public abstract object? Read();

    protected bool IsNullHere() => Nullable && First.PeekDef() < DefLevel;

    protected void SkipOne()
    {
        foreach (var leaf in Leaves)
        {
            leaf.Position++;
        }
    }
}
