using Fhirhouse.Synthetic.Catalog;
using Fhirhouse.Synthetic.Messages;
using Fhirhouse.Synthetic.Simulation.Resources;

namespace Fhirhouse.Synthetic.Simulation;

/// <summary>
/// A patient's messages once their visits are simulated, from a random stream of their own (so nothing else changes):
/// portal messages (a share of the patients use the portal, at most one message a calendar year, either a few hours
/// to days before a visit about its symptoms, or between visits about their conditions), some answered by the
/// clinician last seen; and a triage chat before some emergency visits. Written as Communications in the order sent.
/// </summary>
internal static class PatientMessages
{
    /// <summary>The share of patients who write in the portal at all.</summary>
    public const double PortalShare = 0.6;

    /// <summary>The chance a portal user writes in a given calendar year of their care.</summary>
    public const double YearlyMessageChance = 0.5;

    /// <summary>The share of portal messages the care team answers.</summary>
    public const double ReplyShare = 0.4;

    /// <summary>The share of emergency visits preceded by a triage chat.</summary>
    public const double TriageChatShare = 0.5;

    public static void Write(PatientChart chart, IReadOnlyList<Visit> visits, Hospital hospital, Random rng, List<MessageTruth> truths)
    {
        var planned = new List<PlannedMessage>();
        var r = chart.Resources;
        var patient = r.Ref("Patient", chart.Patient.Id);
        if (rng.Chance(PortalShare))
        {
            for (var year = visits[0].End.Year; year <= chart.Span.End.Year; year++)
            {
                if (!rng.Chance(YearlyMessageChance))
                {
                    continue;
                }

                var (facts, clinician) = PortalFacts(chart, visits, rng, year);
                if (facts is null)
                {
                    continue;
                }

                var message = PortalMessageComposer.Compose(facts, rng, Seeds.NewId(rng));
                var doctor = "Practitioner/" + clinician;
                planned.Add(new PlannedMessage(message, facts.Sent, patient, doctor, null));
                var replied = ReplyTime(facts.Sent, rng);
                if (rng.Chance(ReplyShare) && replied <= chart.Span.End)
                {
                    var reply = PortalMessageComposer.ComposeReply(facts, rng, Seeds.NewId(rng));
                    planned.Add(new PlannedMessage(reply, replied, doctor, patient, r.Ref("Communication", message.CommunicationId)));
                }
            }
        }

        foreach (var visit in visits)
        {
            if (visit.Class != EncounterClass.Emergency || !rng.Chance(TriageChatShare))
            {
                continue;
            }

            var sent = visit.Start.AddMinutes(-rng.Next(15, 121));
            if (sent < chart.Span.Start || (visit.Index > 0 && sent <= visits[visit.Index - 1].End))
            {
                continue;
            }

            var facts = Facts(chart, visits, sent, sent, visit.Symptoms, visit.DeniedSymptoms, []);
            var chat = TriageChatComposer.Compose(facts, rng, Seeds.NewId(rng), visit.EncounterId);
            planned.Add(new PlannedMessage(chat, sent, "Device/" + hospital.TriageBotId, r.Organization, null));
        }

        foreach (var message in planned.OrderBy(m => m.Sent))
        {
            CommunicationJson.Write(r, message);
            truths.Add(message.Truth);
        }
    }

    /// <summary>What a portal message written in <paramref name="year"/> tells, and the clinician it goes to; null if there is no room for one.</summary>
    private static (MessageFacts? Facts, string Clinician) PortalFacts(PatientChart chart, IReadOnlyList<Visit> visits, Random rng, int year)
    {
        var before = visits.Where(v => v.Start.Year == year && v.Index > 0 && v.Symptoms.Count > 0 && v.Class != EncounterClass.Inpatient).ToList();
        if (before.Count > 0 && rng.Chance(0.6))
        {
            var visit = rng.Pick(before);
            var sent = visit.Start.AddHours(-rng.Next(4, 60));
            var previous = visits[visit.Index - 1];
            if (sent > previous.End)
            {
                var onset = sent.Date.AddDays(-rng.Next(0, 4));
                var worries = visit.Differentials.Where(d => d.Kind == ConceptKind.Acute).ToList();
                if (visit.Diagnosis is { } dx && rng.Chance(0.5))
                {
                    worries.Add(dx);
                }

                return (Facts(chart, visits, sent, onset, visit.Symptoms, visit.DeniedSymptoms, worries), previous.Practitioner);
            }
        }

        var from = Max(visits[0].End, new DateTime(year, 1, 1));
        var to = Min(chart.Span.End, new DateTime(year, 12, 31, 23, 0, 0));
        if (to <= from.AddDays(1))
        {
            return (null, string.Empty);
        }

        var at = from.Date.AddDays(1 + rng.Next((to - from).Days)).AddHours(rng.Next(7, 23)).AddMinutes(rng.Next(60));
        if (at <= from || at > to || visits.Any(v => at >= v.Start.AddDays(-1) && at <= v.End))
        {
            return (null, string.Empty);
        }

        var last = visits.Last(v => v.End < at);
        List<ClinicalConcept> denied = rng.Chance(0.5) ? [rng.Pick(Concepts.Symptoms)] : [];
        return (Facts(chart, visits, at, at, [], denied, []), last.Practitioner);
    }

    private static MessageFacts Facts(PatientChart chart, IReadOnlyList<Visit> visits, DateTime sent, DateTime onset, IReadOnlyList<ClinicalConcept> symptoms, IReadOnlyList<ClinicalConcept> denied, IReadOnlyList<ClinicalConcept> worries)
    {
        bool KnownBy(ChronicCondition c) => c.DiagnosedAtVisit < 0 || visits[c.DiagnosedAtVisit].Start <= sent;
        var known = chart.Chronic.Where(KnownBy).Select(c => (c.Concept, c.SinceYear)).ToList();
        var undiagnosed = chart.Chronic.Where(c => !KnownBy(c)).Select(c => c.Concept).ToList();
        var history = chart.PastEpisodes
            .Concat(visits.Where(v => v.End < sent && v.Diagnosis is { Kind: ConceptKind.Acute }).Select(v => (v.Diagnosis!, v.End.Year)))
            .ToList();
        return new MessageFacts(chart.Patient, sent, onset, symptoms, denied, worries, known, undiagnosed, history, chart.FamilyHistory);
    }

    /// <summary>Within office hours (8:00 to 18:00), the same day if there is time left, else the next day.</summary>
    private static DateTime ReplyTime(DateTime sent, Random rng)
    {
        var day = sent.Hour < 16 ? sent.Date : sent.Date.AddDays(1);
        var earliest = day == sent.Date ? sent.Hour + 2 : 8;
        return day.AddHours(rng.Next(Math.Max(8, earliest), 18)).AddMinutes(rng.Next(60));
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
}
