namespace Fhirhouse.Synthetic.Notes;

/// <summary>Whether a note affirms, denies or only supposes a concept.</summary>
public enum Certainty
{
    Affirmed,
    Negated,
    Possible,
}
