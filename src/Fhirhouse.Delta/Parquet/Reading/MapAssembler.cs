namespace Fhirhouse.Delta.Parquet.Reading;

/// <summary>A map: null, empty, or key/value pairs in file order.</summary>
internal sealed class MapAssembler(int defLevel, bool nullable, int entryDefLevel, int repLevel, ColumnAssembler key, ColumnAssembler? value, IReadOnlyList<LeafCursor> leaves)
    : ColumnAssembler(defLevel, nullable, leaves)
{
    public override object? Read()
    {
        if (IsNullHere())
        {
            SkipOne();
            return null;
        }

        if (First.PeekDef() < entryDefLevel)
        {
            SkipOne();
            return Array.Empty<KeyValuePair<object, object?>>();
        }

        var entries = new List<KeyValuePair<object, object?>>();
        do
        {
            var k = key.Read()!;
            entries.Add(new KeyValuePair<object, object?>(k, value?.Read()));
        }
        while (First.NextContinues(repLevel));

        return entries.ToArray();
    }
}
