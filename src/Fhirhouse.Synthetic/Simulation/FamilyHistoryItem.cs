using Fhirhouse.Synthetic.Catalog;

namespace Fhirhouse.Synthetic.Simulation;

/// <summary>A relative's condition (or its denial when <see cref="Negated"/>) as the patient reports it.</summary>
internal sealed record FamilyHistoryItem(ClinicalConcept Concept, Relative Relative, bool Negated);
