using Fhirhouse.Synthetic.Catalog;

namespace Fhirhouse.Synthetic.Simulation;

/// <summary>Everything the note of one encounter can tell, decided by the simulation before the note is written.</summary>
internal sealed record EncounterFacts(
    SimPatient Patient,
    EncounterClass Class,
    DateTime Start,
    ClinicalConcept? Diagnosis,
    IReadOnlyList<ClinicalConcept> Differentials,
    IReadOnlyList<ClinicalConcept> Symptoms,
    IReadOnlyList<ClinicalConcept> DeniedSymptoms,
    IReadOnlyList<(ClinicalConcept Concept, int SinceYear)> KnownChronic,
    IReadOnlyList<ClinicalConcept> NewChronic,
    IReadOnlyList<(ClinicalConcept Concept, int Year)> PastEpisodes,
    IReadOnlyList<FamilyHistoryItem> FamilyHistory,
    IReadOnlyList<Measurement> Vitals,
    IReadOnlyList<Measurement> Labs,
    IReadOnlyList<Medication> HomeMedications,
    IReadOnlyList<Medication> NewMedications);
