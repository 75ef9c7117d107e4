namespace Fhirhouse.Nlp.Medications;

/// <summary>The route a drug is given by, coded in SNOMED CT (<see cref="System"/>), with the words as written and their span.</summary>
public sealed record MedicationRoute(string Code, string Display, string Text, int Start, int End)
{
    public const string System = "http://snomed.info/sct";
}
