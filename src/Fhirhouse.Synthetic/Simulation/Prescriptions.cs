using Fhirhouse.Synthetic.Catalog;
using Fhirhouse.Synthetic.Simulation.Resources;

namespace Fhirhouse.Synthetic.Simulation;

/// <summary>
/// The MedicationRequests of a visit: on the first visit the home medications of the known conditions (and secondary
/// prevention after a past infarction or stroke) are renewed; then what the new diagnoses, a poorly controlled diabetes
/// (HbA1c at or above 9 %) and the acute episode call for. Acute treatments are not kept as active medications.
/// </summary>
internal static class Prescriptions
{
    /// <summary>Prescribes and records them; returns the medications taken before the new ones, and the new ones.</summary>
    public static (List<Medication> Home, List<Medication> Started) Prescribe(PatientChart chart, Visit visit, List<Measurement> labs, string? dxConditionId)
    {
        var activeMeds = chart.ActiveMedications;
        if (visit.IsFirst)
        {
            foreach (var c in visit.KnownChronic)
            {
                foreach (var m in Medications.For(c.Concept))
                {
                    if (!activeMeds.Contains(m))
                    {
                        activeMeds.Add(m);
                        Write(chart, visit, m, visit.Start, chart.ConditionIds.GetValueOrDefault(c.Concept.Key), acute: false);
                    }
                }
            }

            if (chart.PastEpisodes.Any(e => e.Concept == Concepts.MyocardialInfarction || e.Concept == Concepts.Stroke))
            {
                foreach (var m in new[] { Medications.Aspirin, Medications.Atorvastatin })
                {
                    if (!activeMeds.Contains(m))
                    {
                        activeMeds.Add(m);
                        Write(chart, visit, m, visit.Start, null, acute: false);
                    }
                }
            }
        }

        var homeMeds = activeMeds.ToList();
        var newMeds = new List<(Medication Med, string? Reason, bool Acute)>();
        foreach (var c in visit.NewChronic)
        {
            foreach (var m in Medications.For(c))
            {
                newMeds.Add((m, chart.ConditionIds.GetValueOrDefault(c.Key), false));
            }
        }

        if (visit.Has(Concepts.Diabetes2) && labs.Exists(m => m.Test == Labs.HbA1c && m.Value >= 9.0))
        {
            newMeds.Add((Medications.InsulinGlargine, chart.ConditionIds.GetValueOrDefault(Concepts.Diabetes2.Key), false));
        }

        if (visit.Diagnosis is { } dx)
        {
            foreach (var m in Medications.For(dx))
            {
                newMeds.Add((m, dxConditionId, dx.Kind == ConceptKind.Acute && m != Medications.Aspirin && m != Medications.Atorvastatin));
            }
        }

        var started = new List<Medication>();
        foreach (var (m, reason, acute) in newMeds)
        {
            if (activeMeds.Contains(m) || started.Contains(m))
            {
                continue;
            }

            started.Add(m);
            if (!acute)
            {
                activeMeds.Add(m);
            }

            Write(chart, visit, m, visit.Start.AddMinutes(30), reason, acute);
        }

        return (homeMeds, started);
    }

    private static void Write(PatientChart chart, Visit visit, Medication m, DateTime at, string? reasonConditionId, bool acute)
    {
        var id = Seeds.NewId(chart.Rng);
        MedicationRequestJson.Write(chart.Resources, id, visit, m, at, reasonConditionId, completed: acute && at.AddDays(10) < chart.Span.End);
    }
}
