using Fhirhouse.Synthetic.Catalog;

namespace Fhirhouse.Synthetic.Simulation;

/// <summary>
/// Plans a visit before anything of it is recorded: the acute episode, which sets the encounter class (AMB, EMER, IMP)
/// and its length; the chronic conditions known and found; symptoms reported and denied; differential diagnoses; the
/// encounter's id and the clinician who sees the patient.
/// </summary>
internal static class VisitPlanner
{
    /// <summary>
    /// Plans the visit at <paramref name="scheduled"/>; <paramref name="readmittedFor"/> makes it an unplanned return for
    /// that diagnosis after a hospital stay (admitted again, or seen in the emergency department).
    /// </summary>
    public static Visit Plan(PatientChart chart, Hospital hospital, DateTime scheduled, int index, ClinicalConcept? readmittedFor = null)
    {
        var rng = chart.Rng;
        var age = chart.Patient.AgeAt(DateOnly.FromDateTime(scheduled));
        var dx = readmittedFor ?? AcuteEpisodes.Choose(rng, chart.Span, scheduled, age, chart.Patient);
        var encounterClass = readmittedFor is not null ? (rng.Chance(0.75) ? EncounterClass.Inpatient : EncounterClass.Emergency) : dx?.Key switch
        {
            "myocardial-infarction" or "stroke" or "appendicitis" => EncounterClass.Inpatient,
            "pneumonia" => age > 70 || rng.Chance(0.4) ? EncounterClass.Inpatient : EncounterClass.Emergency,
            "covid-19" => age > 70 && rng.Chance(0.5) ? EncounterClass.Inpatient : EncounterClass.Emergency,
            "influenza" or "acute-bronchitis" or "urinary-tract-infection" => rng.Chance(0.6) ? EncounterClass.Ambulatory : EncounterClass.Emergency,
            _ => EncounterClass.Ambulatory,
        };
        var start = encounterClass == EncounterClass.Ambulatory
            ? scheduled
            : scheduled.Date.AddHours(rng.Next(0, 24)).AddMinutes(rng.Next(0, 60));
        var end = encounterClass switch
        {
            EncounterClass.Emergency => start.AddMinutes(rng.Next(120, 480)),
            EncounterClass.Inpatient => start.AddDays(rng.Next(2, 8)).AddHours(rng.Next(0, 6)),
            _ => start.AddMinutes(rng.Next(20, 46)),
        };
        if (end > chart.Span.End)
        {
            end = chart.Span.End;
        }

        var known = chart.Chronic.Where(c => c.DiagnosedAtVisit < index).ToList();
        var isNew = chart.Chronic.Where(c => c.DiagnosedAtVisit == index && index > 0).Select(c => c.Concept).ToList();
        bool Has(ClinicalConcept c) => known.Exists(k => ReferenceEquals(k.Concept, c)) || isNew.Contains(c);

        var symptomPool = AcuteEpisodes.SymptomsOf(dx);
        var symptoms = symptomPool.Take(symptomPool.Length == 0 ? 0 : rng.Next(1, symptomPool.Length + 1)).ToList();
        if (Has(Concepts.HeartFailure) && rng.Chance(0.3) && !symptoms.Contains(Concepts.Edema))
        {
            symptoms.Add(Concepts.Edema);
        }

        var denied = Concepts.Symptoms.Where(s => !symptoms.Contains(s)).OrderBy(_ => rng.Next()).Take(rng.Next(1, 4)).ToList();
        var differentials = AcuteEpisodes.DifferentialsOf(dx).Where(d => rng.Chance(0.6)).ToList();
        if (dx is null && rng.Chance(0.12))
        {
            var candidate = rng.Pick(new[] { Concepts.Hypothyroidism, Concepts.Depression, Concepts.Diabetes2 });
            if (!Has(candidate))
            {
                differentials.Add(candidate);
            }
        }

        var encounterId = Seeds.NewId(rng);
        var practitioner = hospital.PractitionerFor(chart.Patient.French, rng);
        return new Visit(index, start, end, age, dx, encounterClass, known, isNew, symptoms, denied, differentials, encounterId, practitioner, readmittedFor is not null);
    }
}
