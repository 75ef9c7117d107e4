using Fhirhouse.Synthetic.Catalog;

namespace Fhirhouse.Synthetic.Simulation;

/// <summary>
/// What a patient can tell in one message, decided by the simulation: when it is sent and since when the symptoms
/// run, the symptoms they have and do not have, what they fear it is, their chronic conditions known by then (and
/// those still to be found), their past episodes and their family history.
/// </summary>
internal sealed record MessageFacts(
    SimPatient Patient,
    DateTime Sent,
    DateTime Onset,
    IReadOnlyList<ClinicalConcept> Symptoms,
    IReadOnlyList<ClinicalConcept> DeniedSymptoms,
    IReadOnlyList<ClinicalConcept> Worries,
    IReadOnlyList<(ClinicalConcept Concept, int SinceYear)> KnownChronic,
    IReadOnlyList<ClinicalConcept> UndiagnosedChronic,
    IReadOnlyList<(ClinicalConcept Concept, int Year)> History,
    IReadOnlyList<FamilyHistoryItem> FamilyHistory)
{
    public bool French => Patient.French;
}
