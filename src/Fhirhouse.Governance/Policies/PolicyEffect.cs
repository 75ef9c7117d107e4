namespace Fhirhouse.Governance.Policies;

/// <summary>What a matching rule does; a deny wins over any allow.</summary>
public enum PolicyEffect
{
    Allow,
    Deny,
}
