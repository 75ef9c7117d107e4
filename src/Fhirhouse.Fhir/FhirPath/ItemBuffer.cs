namespace Fhirhouse.Fhir.FhirPath;

/// <summary>A growable, reusable FHIRPath collection.</summary>
internal sealed class ItemBuffer
{
    private FhirItem[] _items = new FhirItem[8];

    public int Count { get; private set; }

    public ref readonly FhirItem this[int index] => ref _items[index];

    public ReadOnlySpan<FhirItem> Items => _items.AsSpan(0, Count);

    public void Add(in FhirItem item)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[Count++] = item;
    }

    public void AddRange(ItemBuffer other)
    {
        for (var i = 0; i < other.Count; i++)
        {
            Add(other[i]);
        }
    }

    public void Clear() => Count = 0;

    public FhirItem[] ToArray() => Items.ToArray();
}
