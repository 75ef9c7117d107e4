namespace Fhirhouse.Delta.Schema;

/// <summary>A map; its row value is a <c>KeyValuePair&lt;object, object?&gt;[]</c> in file order.</summary>
public sealed record MapType(DeltaType KeyType, DeltaType ValueType, bool ValueContainsNull = true) : DeltaType
{
    public override string ToString() => $"map<{KeyType},{ValueType}>";
}
