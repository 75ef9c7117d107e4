namespace Fhirhouse.Delta.Actions;

/// <summary>One action of a Delta commit or checkpoint (one line of a JSON commit).</summary>
public abstract record DeltaAction
{
    private protected DeltaAction()
    {
    }
}
