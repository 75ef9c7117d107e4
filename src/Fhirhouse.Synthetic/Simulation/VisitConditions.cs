using Fhirhouse.Synthetic.Catalog;
using Fhirhouse.Synthetic.Simulation.Resources;

namespace Fhirhouse.Synthetic.Simulation;

/// <summary>
/// The Conditions a visit records: the problem list on the first visit (known chronic conditions and resolved past
/// episodes), chronic conditions found at this visit, and the acute episode as an encounter diagnosis.
/// </summary>
internal static class VisitConditions
{
    /// <summary>Records them; returns the acute episode's Condition id, if the visit has one.</summary>
    public static string? Record(PatientChart chart, Visit visit)
    {
        var rng = chart.Rng;
        var recorded = visit.Start.AddMinutes(15);
        if (visit.IsFirst)
        {
            foreach (var c in visit.KnownChronic)
            {
                var onset = new DateTime(c.SinceYear, rng.Next(1, 13), rng.Next(1, 29), 0, 0, 0, DateTimeKind.Unspecified);
                chart.ConditionIds[c.Concept.Key] = Write(chart, visit, c.Concept, onset, recorded, null, problemList: true);
            }

            foreach (var (c, year) in chart.PastEpisodes)
            {
                var onset = new DateTime(year, rng.Next(1, 13), rng.Next(1, 29), 0, 0, 0, DateTimeKind.Unspecified);
                Write(chart, visit, c, onset, recorded, onset.AddDays(rng.Next(7, 30)), problemList: true);
            }
        }

        foreach (var c in visit.NewChronic)
        {
            chart.ConditionIds[c.Key] = Write(chart, visit, c, visit.Start, recorded, null, problemList: true);
        }

        if (visit.Diagnosis is not { } dx)
        {
            return null;
        }

        var abatement = visit.End.AddDays(rng.Next(7, 22));
        var acuteOnset = visit.Start.AddDays(-rng.Next(1, 6));
        return Write(chart, visit, dx, acuteOnset, recorded, abatement <= chart.Span.End ? abatement : null, problemList: false);
    }

    private static string Write(PatientChart chart, Visit visit, ClinicalConcept c, DateTime onset, DateTime recorded, DateTime? abatement, bool problemList)
    {
        var id = Seeds.NewId(chart.Rng);
        var snomedOnly = chart.Span.InEffect(DriftScenario.CodingPracticeChange, recorded);
        ConditionJson.Write(chart.Resources, id, visit.EncounterId, c, onset, recorded, abatement, problemList, snomedOnly);
        return id;
    }
}
