namespace Fhirhouse.Fhir.FhirPath;

/// <summary>State of one evaluation: the resource, %rowIndex and a pool of scratch collections reused between calls.</summary>
internal sealed class EvaluationContext
{
    private readonly Stack<ItemBuffer> _free = new();

    public FhirItem Resource { get; set; }

    public int RowIndex { get; set; }

    public ItemBuffer Rent()
    {
        if (_free.TryPop(out var buffer))
        {
            buffer.Clear();
            return buffer;
        }

        return new ItemBuffer();
    }

    /// <summary>A scratch collection holding <paramref name="single"/>, or empty for <see cref="FhirItem.IsNone"/>.</summary>
    public ItemBuffer Rent(in FhirItem single)
    {
        var buffer = Rent();
        if (!single.IsNone)
        {
            buffer.Add(single);
        }

        return buffer;
    }

    public void Return(ItemBuffer buffer) => _free.Push(buffer);
}
