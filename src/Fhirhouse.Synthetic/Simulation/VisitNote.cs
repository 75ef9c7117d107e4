using Fhirhouse.Synthetic.Catalog;
using Fhirhouse.Synthetic.Notes;
using Fhirhouse.Synthetic.Simulation.Resources;

namespace Fhirhouse.Synthetic.Simulation;

/// <summary>
/// The note of a visit: everything the visit decided and measured, composed in the patient's language, written as a
/// DocumentReference at the end of the encounter, its ground truth kept.
/// </summary>
internal static class VisitNote
{
    public static void Write(PatientChart chart, Visit visit, List<Measurement> vitals, List<Measurement> labs, List<Medication> homeMeds, List<Medication> started)
    {
        var facts = new EncounterFacts(
            chart.Patient, visit.Class, visit.Start, visit.Diagnosis, visit.Differentials, visit.Symptoms, visit.DeniedSymptoms,
            [.. visit.KnownChronic.Select(k => (k.Concept, k.SinceYear == 0 ? visit.Start.Year : k.SinceYear))],
            visit.NewChronic, chart.PastEpisodes, chart.FamilyHistory, vitals, labs, homeMeds, started);
        var documentId = Seeds.NewId(chart.Rng);
        var truth = NoteComposer.Compose(facts, chart.Rng, documentId, visit.EncounterId);
        chart.Truths.Add(truth);
        DocumentReferenceJson.Write(chart.Resources, documentId, visit, truth);
    }
}
