using Fhirhouse.Synthetic.Catalog;
using Fhirhouse.Synthetic.Notes;
using Fhirhouse.Synthetic.Simulation.Resources;

namespace Fhirhouse.Synthetic.Simulation;

/// <summary>
/// One patient's simulation, shared by every step of every visit: the patient's random stream, where the resources and
/// the notes' ground truth go, the history drawn before the first visit, and what the visits have recorded so far.
/// </summary>
internal sealed class PatientChart(
    SimPatient patient,
    Random rng,
    SimulationSpan span,
    ResourceWriter resources,
    List<NoteTruth> truths,
    double baseBmi,
    List<ChronicCondition> chronic,
    IReadOnlyList<(ClinicalConcept Concept, int Year)> pastEpisodes,
    IReadOnlyList<FamilyHistoryItem> familyHistory)
{
    public SimPatient Patient { get; } = patient;

    public Random Rng { get; } = rng;

    public SimulationSpan Span { get; } = span;

    public ResourceWriter Resources { get; } = resources;

    public List<NoteTruth> Truths { get; } = truths;

    /// <summary>The BMI at the first visit; each visit's weight varies around it.</summary>
    public double BaseBmi { get; } = baseBmi;

    /// <summary>Long-term conditions, known or to be found; one found at a visit is known since that year from then on.</summary>
    public List<ChronicCondition> Chronic { get; } = chronic;

    /// <summary>Whether the patient is developing <paramref name="concept"/>, to be found at a visit after <paramref name="visitIndex"/> (prediabetes before type 2 diabetes).</summary>
    public bool Develops(ClinicalConcept concept, int visitIndex) =>
        Chronic.Exists(c => ReferenceEquals(c.Concept, concept) && c.DiagnosedAtVisit > visitIndex);

    public IReadOnlyList<(ClinicalConcept Concept, int Year)> PastEpisodes { get; } = pastEpisodes;

    public IReadOnlyList<FamilyHistoryItem> FamilyHistory { get; } = familyHistory;

    /// <summary>Medications taken from now on (acute treatments are not kept).</summary>
    public List<Medication> ActiveMedications { get; } = [];

    /// <summary>The Condition id recorded for each chronic concept, by concept key.</summary>
    public Dictionary<string, string> ConditionIds { get; } = new(StringComparer.Ordinal);
}
