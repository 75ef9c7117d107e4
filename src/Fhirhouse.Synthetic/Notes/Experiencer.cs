namespace Fhirhouse.Synthetic.Notes;

/// <summary>Whose condition a mention is about.</summary>
public enum Experiencer
{
    Patient,
    Family,
}
