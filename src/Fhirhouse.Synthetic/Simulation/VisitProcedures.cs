using Fhirhouse.Synthetic.Catalog;
using Fhirhouse.Synthetic.Simulation.Resources;

namespace Fhirhouse.Synthetic.Simulation;

/// <summary>
/// The Procedures of a visit: what the acute episode calls for, or else, now and then (15 % per condition), the
/// follow-up of a known chronic condition; each performed within the encounter.
/// </summary>
internal static class VisitProcedures
{
    public static void Perform(PatientChart chart, Visit visit, string? dxConditionId)
    {
        if (visit.Diagnosis is { } dx)
        {
            foreach (var proc in Procedures.For(dx))
            {
                Write(chart, visit, proc, dxConditionId);
            }

            return;
        }

        foreach (var c in visit.KnownChronic)
        {
            if (chart.Rng.Chance(0.15))
            {
                foreach (var proc in Procedures.For(c.Concept))
                {
                    Write(chart, visit, proc, chart.ConditionIds.GetValueOrDefault(c.Concept.Key));
                }
            }
        }
    }

    private static void Write(PatientChart chart, Visit visit, Code code, string? reasonConditionId)
    {
        var rng = chart.Rng;
        var id = Seeds.NewId(rng);
        var performedStart = visit.Start.AddMinutes(rng.Next(30, 120));
        if (performedStart > visit.End)
        {
            performedStart = visit.Start;
        }

        var performedEnd = performedStart.AddMinutes(rng.Next(10, 90));
        if (performedEnd > visit.End)
        {
            performedEnd = visit.End;
        }

        ProcedureJson.Write(chart.Resources, id, visit.EncounterId, code, performedStart, performedEnd, reasonConditionId);
    }
}
