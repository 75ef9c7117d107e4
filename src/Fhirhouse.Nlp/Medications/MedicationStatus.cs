namespace Fhirhouse.Nlp.Medications;

/// <summary>Whether the text says the drug is taken or stopped (FHIR <c>MedicationStatement.status</c> active | stopped).</summary>
public enum MedicationStatus
{
    Active,
    Stopped,
}
