namespace Fhirhouse.Delta.Schema;

/// <summary>An array; its row value is an <c>object?[]</c>.</summary>
public sealed record ArrayType(DeltaType ElementType, bool ContainsNull = true) : DeltaType
{
    public override string ToString() => $"array<{ElementType}>";
}
