using Fhirhouse.Synthetic.Catalog;

namespace Fhirhouse.Synthetic.Simulation;

/// <summary>
/// One encounter as planned before anything of it is recorded: when, why, what the patient has and reports, and whether
/// it is an unplanned readmission after a hospital stay.
/// </summary>
internal sealed record Visit(
    int Index,
    DateTime Start,
    DateTime End,
    int Age,
    ClinicalConcept? Diagnosis,
    EncounterClass Class,
    List<ChronicCondition> KnownChronic,
    List<ClinicalConcept> NewChronic,
    List<ClinicalConcept> Symptoms,
    List<ClinicalConcept> DeniedSymptoms,
    List<ClinicalConcept> Differentials,
    string EncounterId,
    string Practitioner,
    bool Readmission)
{
    public bool IsFirst => Index == 0;

    /// <summary>Whether the patient has <paramref name="concept"/> as a chronic condition, known or found at this visit.</summary>
    public bool Has(ClinicalConcept concept) => KnownChronic.Exists(k => ReferenceEquals(k.Concept, concept)) || NewChronic.Contains(concept);

}
