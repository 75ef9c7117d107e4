using Fhirhouse.Synthetic.Messages;
using Fhirhouse.Synthetic.Notes;
using Fhirhouse.Synthetic.Output;
using Fhirhouse.Synthetic.Simulation.Resources;

namespace Fhirhouse.Synthetic.Simulation;

/// <summary>
/// Simulates one patient's care over the span (demographics, chronic and acute conditions, visits and unplanned
/// readmissions after hospital stays, vitals and labs, prescriptions, procedures and notes) and writes it as FHIR R4 resources, then the messages the patient sent
/// (<see cref="PatientMessages"/>, from a stream of their own). Everything comes from a random stream
/// seeded by (run seed, patient index), so patients can be simulated in any order or in parallel. A share of the
/// patients (<see cref="ResearchConsentShare"/>, drawn from a stream of its own so the rest does not change) signs a
/// Consent permitting research at the first visit.
/// </summary>
internal sealed class PatientSimulator(HospitalOptions options, Hospital hospital, bool urnReferences)
{
    /// <summary>The share of patients with an active Consent permitting research (v3-ActReason HRESCH).</summary>
    public const double ResearchConsentShare = 0.6;

    private const int MaxVisits = 12;

    private readonly SimulationSpan _span = new(options);
    private readonly VisitSimulator _visits = new(hospital);

    public void Simulate(int index, ResourceBatch batch, List<NoteTruth> truths, List<MessageTruth> messages)
    {
        var rng = new Random(Seeds.For(options.Seed, stream: 2, index));
        var totalDays = (_span.End - _span.Start).Days;
        var visits = InCare(rng, totalDays);
        var firstVisit = visits[0];
        var patient = Demographics.Draw(options, _span, index, rng, firstVisit);
        var age = patient.AgeAt(DateOnly.FromDateTime(firstVisit));
        var bmi = Math.Clamp(rng.Normal(26.5 + ((age - 50) * 0.03), 4.5), 17, 48);
        var family = MedicalHistory.ChooseFamilyHistory(rng);
        var chronic = MedicalHistory.ChooseChronic(rng, patient, age, bmi, firstVisit, visits.Count, family);
        var past = MedicalHistory.ChoosePastEpisodes(rng, age, firstVisit);

        var resources = new ResourceWriter(batch, patient, _span.End, hospital.OrganizationId, urnReferences);
        PatientJson.Write(resources, _span.Start);
        var consent = new Random(Seeds.For(options.Seed, stream: 3, index));
        if (consent.Chance(ResearchConsentShare))
        {
            ConsentJson.WriteResearch(resources, Seeds.NewId(consent), firstVisit);
        }

        var chart = new PatientChart(patient, rng, _span, resources, truths, bmi, chronic, past, family);
        var plan = visits.Select(at => (At: at, ReadmittedFor: (Catalog.ClinicalConcept?)null)).ToList();
        var simulated = new List<Visit>(plan.Count);
        for (var v = 0; v < plan.Count; v++)
        {
            var visit = _visits.Simulate(chart, plan[v].At, v, plan[v].ReadmittedFor);
            simulated.Add(visit);
            if (visit.Class == EncounterClass.Inpatient && rng.Chance(ReadmissionRisk(visit)))
            {
                var back = visit.End.Date.AddDays(rng.Next(2, 31)).AddHours(rng.Next(0, 24)).AddMinutes(rng.Next(0, 60));
                if (back < _span.End)
                {
                    var at = plan.FindIndex(v + 1, p => p.At > back);
                    plan.Insert(at < 0 ? plan.Count : at, (back, visit.Diagnosis));
                }
            }
        }

        PatientMessages.Write(chart, simulated, hospital, new Random(Seeds.For(options.Seed, stream: 4, index)), messages);
    }

    /// <summary>
    /// The chance of an unplanned return within 30 days of a hospital stay: higher with heart failure, chronic kidney
    /// disease, COPD, diabetes, age and a longer stay, as readmission models find in real hospitals.
    /// </summary>
    internal static double ReadmissionRisk(Visit stay)
    {
        var days = (stay.End - stay.Start).TotalDays;
        return 0.03
            + (stay.Has(Catalog.Concepts.HeartFailure) ? 0.3 : 0)
            + (stay.Has(Catalog.Concepts.ChronicKidneyDisease) ? 0.18 : 0)
            + (stay.Has(Catalog.Concepts.Copd) ? 0.15 : 0)
            + (stay.Has(Catalog.Concepts.Diabetes2) ? 0.07 : 0)
            + (stay.Age >= 75 ? 0.12 : stay.Age >= 65 ? 0.05 : 0)
            + (0.03 * Math.Max(0, days - 3))
            + (stay.Readmission ? 0.1 : 0);
    }

    /// <summary>
    /// How long before the span a patient's care may have begun, and how long care lasts on average (exponentially: the
    /// patient moves away or is discharged to their family doctor). Patients in care when the lake starts enter it at their
    /// first visit inside the span, and patients keep leaving as new ones arrive, so the hospital is in a steady state:
    /// about as many patients in follow-up each year, of the same age and history, rather than a clinic opening on the
    /// first day whose patients all grow older together. A model's features then drift only with a drift scenario.
    /// </summary>
    private const int CareBeforeSpanDays = 2400;

    private const double MeanCareDays = 1200;

    /// <summary>The visits inside the span of a patient in care at some time in it (an arrival whose care ended before the span is drawn again).</summary>
    private List<DateTime> InCare(Random rng, int totalDays)
    {
        for (var attempt = 0; ; attempt++)
        {
            var earliest = attempt < 100 ? -CareBeforeSpanDays : 0;
            var arrival = _span.Start.AddDays(rng.Next(earliest, totalDays)).AddHours(rng.Next(8, 17)).AddMinutes(rng.Next(0, 4) * 15);
            var leaves = arrival.AddDays(-Math.Log(1 - rng.NextDouble()) * MeanCareDays);
            var visits = Schedule(rng, arrival, attempt < 100 ? leaves : _span.End);
            visits.RemoveAll(v => v < _span.Start);
            if (visits.Count > 0)
            {
                return visits;
            }
        }
    }

    /// <summary>The visits from the first one: up to <see cref="MaxVisits"/> inside the span, two weeks plus an exponential gap (mean 110 days) apart, until the span ends or the patient leaves care.</summary>
    private List<DateTime> Schedule(Random rng, DateTime firstVisit, DateTime leaves)
    {
        var visits = new List<DateTime> { firstVisit };
        while (visits.Count(v => v >= _span.Start) < MaxVisits)
        {
            var next = visits[^1].AddDays(14 + (-Math.Log(1 - rng.NextDouble()) * 110)).Date.AddHours(rng.Next(8, 17)).AddMinutes(rng.Next(0, 4) * 15);
            if (next > _span.End || next > leaves)
            {
                break;
            }

            visits.Add(next);
        }

        return visits;
    }
}
