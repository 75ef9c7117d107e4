namespace Fhirhouse.Delta.Schema;

/// <summary>A Delta schema type: a primitive, a decimal, a struct, an array or a map.</summary>
public abstract record DeltaType
{
    private protected DeltaType()
    {
    }
}
