using Fhirhouse.Synthetic.Catalog;

namespace Fhirhouse.Synthetic.Simulation;

/// <summary>A long-term condition of a patient: known before the first visit (<see cref="DiagnosedAtVisit"/> = -1) or found at a visit.</summary>
internal sealed record ChronicCondition(ClinicalConcept Concept, int SinceYear, int DiagnosedAtVisit);
