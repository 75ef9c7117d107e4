namespace Fhirhouse.Delta.Parquet.Reading;

/// <summary>A list: null, empty, or elements while the repetition level says the same list continues.</summary>
internal sealed class ListAssembler(int defLevel, bool nullable, int elementDefLevel, int repLevel, ColumnAssembler element, IReadOnlyList<LeafCursor> leaves)
    : ColumnAssembler(defLevel, nullable, leaves)
{
    public override object? Read()
    {
        if (IsNullHere())
        {
            SkipOne();
            return null;
        }

        if (First.PeekDef() < elementDefLevel)
        {
            SkipOne();
            return Array.Empty<object?>();
        }

        var items = new List<object?>();
        do
        {
            items.Add(element.Read());
        }
        while (First.NextContinues(repLevel));

        return items.ToArray();
    }
}
