using Fhirhouse.Synthetic.Simulation.Resources;

namespace Fhirhouse.Synthetic.Simulation;

/// <summary>
/// Simulates one visit in the order its resources are written: Encounter, Conditions, vital signs, labs,
/// MedicationRequests, Procedures, the note. Every step draws from the patient's random stream in turn, so the order is
/// part of the output.
/// </summary>
internal sealed class VisitSimulator(Hospital hospital)
{
    public Visit Simulate(PatientChart chart, DateTime scheduled, int index, Catalog.ClinicalConcept? readmittedFor = null)
    {
        var visit = VisitPlanner.Plan(chart, hospital, scheduled, index, readmittedFor);
        EncounterJson.Write(chart.Resources, visit);
        var dxConditionId = VisitConditions.Record(chart, visit);
        var vitals = VitalSigns.Take(chart, visit);
        var labs = LabPanel.Order(chart, visit);
        var (homeMeds, started) = Prescriptions.Prescribe(chart, visit, labs, dxConditionId);
        VisitProcedures.Perform(chart, visit, dxConditionId);
        VisitNote.Write(chart, visit, vitals, labs, homeMeds, started);

        // Chronic conditions found at this visit are "known since" this year from now on.
        var chronic = chart.Chronic;
        for (var i = 0; i < chronic.Count; i++)
        {
            if (chronic[i].DiagnosedAtVisit == index && index > 0)
            {
                chronic[i] = chronic[i] with { SinceYear = visit.Start.Year };
            }
        }

        return visit;
    }
}
