using System.Text;
using System.Text.Json;
using Fhirhouse.Synthetic.Catalog;
using Fhirhouse.Synthetic.Notes;
using Fhirhouse.Synthetic.Output;

namespace Fhirhouse.Synthetic.Simulation;

/// <summary>
/// Simulates one patient's care over the span (demographics, chronic and acute conditions, visits, vitals and labs,
/// prescriptions, procedures and notes) and writes it as FHIR R4 resources. Everything comes from a random stream
/// seeded by (run seed, patient index), so patients can be simulated in any order or in parallel. A share of the
/// patients (<see cref="ResearchConsentShare"/>, drawn from a stream of its own so the rest does not change) signs a
/// Consent permitting research at the first visit.
/// </summary>
internal sealed class PatientSimulator(HospitalOptions options, Hospital hospital, bool urnReferences)
{
    private const string ObservationCategory = "http://terminology.hl7.org/CodeSystem/observation-category";
    private const string Interpretation = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";
    private const string ClinicalStatus = "http://terminology.hl7.org/CodeSystem/condition-clinical";
    private const string VerificationStatus = "http://terminology.hl7.org/CodeSystem/condition-ver-status";
    private const string ConditionCategory = "http://terminology.hl7.org/CodeSystem/condition-category";
    private const string ActCode = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    private static readonly Code EssentialHypertension = new(Code.Snomed, "59621000", "Essential hypertension");

    /// <summary>The share of patients with an active Consent permitting research (v3-ActReason HRESCH).</summary>
    public const double ResearchConsentShare = 0.6;

    private readonly DateTime _start = options.Start.ToDateTime(TimeOnly.MinValue);
    private readonly DateTime _end = options.End.ToDateTime(new TimeOnly(23, 59));
    private readonly DateTime _driftStart = options.DriftStart.ToDateTime(TimeOnly.MinValue);

    private bool Drift(DriftScenario scenario, DateTime at) => at >= _driftStart && options.Drift.Contains(scenario);

    public void Simulate(int index, ResourceBatch batch, List<NoteTruth> truths)
    {
        var rng = new Random(Seeds.For(options.Seed, stream: 2, index));
        var totalDays = (_end - _start).Days;
        var firstVisit = _start.AddDays(rng.Next((int)(totalDays * 0.9))).AddHours(rng.Next(8, 17)).AddMinutes(rng.Next(0, 4) * 15);
        var patient = NewPatient(index, rng, firstVisit);
        var age = patient.AgeAt(DateOnly.FromDateTime(firstVisit));

        var visits = new List<DateTime> { firstVisit };
        while (visits.Count < 12)
        {
            var next = visits[^1].AddDays(14 + (-Math.Log(1 - rng.NextDouble()) * 110)).Date.AddHours(rng.Next(8, 17)).AddMinutes(rng.Next(0, 4) * 15);
            if (next > _end)
            {
                break;
            }

            visits.Add(next);
        }

        var bmi = Math.Clamp(rng.Normal(26.5 + ((age - 50) * 0.03), 4.5), 17, 48);
        var chronic = ChooseChronic(rng, patient, age, bmi, firstVisit, visits.Count);
        var past = ChoosePastEpisodes(rng, patient, age, firstVisit);
        var family = ChooseFamilyHistory(rng);

        WritePatient(batch, patient);
        var consent = new Random(Seeds.For(options.Seed, stream: 3, index));
        if (consent.Chance(ResearchConsentShare))
        {
            WriteResearchConsent(batch, patient, Seeds.NewId(consent), firstVisit);
        }

        var activeMeds = new List<Medication>();
        var conditionIds = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var v = 0; v < visits.Count; v++)
        {
            SimulateVisit(rng, batch, truths, patient, visits[v], v, bmi, chronic, past, family, activeMeds, conditionIds);
        }
    }

    private SimPatient NewPatient(int index, Random rng, DateTime firstVisit)
    {
        var yearsIn = (firstVisit - _start).TotalDays / 365.25;
        var meanAge = 50 + (options.Drift.Contains(DriftScenario.AgeingPopulation) ? 2.5 * yearsIn : 0);
        var age = (int)Math.Clamp(Math.Round(rng.Normal(meanAge, 19)), 18, 97);
        var birth = DateOnly.FromDateTime(firstVisit).AddYears(-age).AddDays(-rng.Next(365));
        var sex = rng.Chance(0.51) ? Sex.Female : Sex.Male;
        var french = rng.Chance(options.FrenchShare);
        var given = french
            ? rng.Pick(sex == Sex.Female ? People.FrenchFemaleGiven : People.FrenchMaleGiven)
            : rng.Pick(sex == Sex.Female ? People.EnglishFemaleGiven : People.EnglishMaleGiven);
        var family = rng.Pick(french ? People.FrenchFamily : People.EnglishFamily);
        var place = rng.Pick(french ? People.FrenchPlaces : People.EnglishPlaces);
        var street = $"{rng.Next(1, 180)} {rng.Pick(french ? People.FrenchStreets : People.EnglishStreets)}";
        var phone = french
            ? $"+33 6 {rng.Next(10, 100)} {rng.Next(10, 100)} {rng.Next(10, 100)} {rng.Next(10, 100)}"
            : $"+44 7700 {rng.Next(900000, 1000000)}";
        var mrn = $"MRN{options.Seed % 1000:000}{index + 1:00000000}";
        var height = sex == Sex.Female ? rng.Normal(163, 6.5) : rng.Normal(176, 7);
        return new SimPatient(index, Seeds.NewId(rng), french, sex, birth, given, family, street, place, phone, mrn, Math.Round(height));
    }

    private static List<ChronicCondition> ChooseChronic(Random rng, SimPatient p, int age, double bmi, DateTime firstVisit, int visitCount)
    {
        var obese = bmi >= 30;
        var result = new List<ChronicCondition>();
        bool Has(ClinicalConcept c) => result.Exists(x => ReferenceEquals(x.Concept, c));
        void Maybe(ClinicalConcept c, double probability)
        {
            if (!rng.Chance(probability))
            {
                return;
            }

            var atVisit = visitCount > 1 && rng.Chance(0.25) ? rng.Next(1, visitCount) : -1;
            var yearsBefore = Math.Min(rng.Next(1, 16), Math.Max(1, age - 18));
            result.Add(new ChronicCondition(c, atVisit < 0 ? firstVisit.Year - yearsBefore : 0, atVisit));
        }

        double ByAge(double young, double middle, double old) => age < 40 ? young : age < 60 ? middle : old;
        if (obese)
        {
            result.Add(new ChronicCondition(Concepts.Obesity, firstVisit.Year - rng.Next(1, 10), -1));
        }

        Maybe(Concepts.Hypertension, ByAge(0.05, 0.25, 0.5) + (obese ? 0.1 : 0));
        Maybe(Concepts.Diabetes2, ByAge(0.02, 0.10, 0.20) + (obese ? 0.12 : 0));
        Maybe(Concepts.Hyperlipidemia, ByAge(0.05, 0.20, 0.35));
        Maybe(Concepts.ChronicKidneyDisease, ByAge(0.01, 0.03, 0.12) + (Has(Concepts.Diabetes2) ? 0.1 : 0));
        Maybe(Concepts.Asthma, age < 40 ? 0.1 : 0.06);
        Maybe(Concepts.Copd, ByAge(0.005, 0.05, 0.1));
        Maybe(Concepts.AtrialFibrillation, ByAge(0.005, 0.03, age >= 75 ? 0.15 : 0.07));
        Maybe(Concepts.HeartFailure, ByAge(0.005, 0.02, age >= 75 ? 0.12 : 0.05) + (Has(Concepts.AtrialFibrillation) ? 0.08 : 0));
        Maybe(Concepts.Depression, 0.08);
        Maybe(Concepts.Hypothyroidism, p.Sex == Sex.Female ? 0.07 : 0.02);
        Maybe(Concepts.Osteoarthritis, ByAge(0.02, 0.15, 0.35));
        return result;
    }

    private static List<(ClinicalConcept Concept, int Year)> ChoosePastEpisodes(Random rng, SimPatient p, int age, DateTime firstVisit)
    {
        var result = new List<(ClinicalConcept, int)>();
        int YearBefore() => firstVisit.Year - rng.Next(1, Math.Max(2, Math.Min(age - 5, 40)));
        if (rng.Chance(0.08))
        {
            result.Add((Concepts.Appendicitis, YearBefore()));
        }

        if (rng.Chance(0.06))
        {
            result.Add((Concepts.Pneumonia, YearBefore()));
        }

        if (age > 50 && rng.Chance(0.05))
        {
            result.Add((Concepts.MyocardialInfarction, firstVisit.Year - rng.Next(1, 12)));
        }

        if (age > 60 && rng.Chance(0.03))
        {
            result.Add((Concepts.Stroke, firstVisit.Year - rng.Next(1, 10)));
        }

        return result;
    }

    private static List<FamilyHistoryItem> ChooseFamilyHistory(Random rng)
    {
        var result = new List<FamilyHistoryItem>();
        var n = rng.Next(0, 3);
        for (var i = 0; i < n; i++)
        {
            var concept = rng.Pick(Concepts.FamilyHistory);
            if (result.Exists(h => ReferenceEquals(h.Concept, concept)))
            {
                continue;
            }

            result.Add(new FamilyHistoryItem(concept, rng.Pick(Relative.All), rng.Chance(0.15)));
        }

        return result;
    }

    private ClinicalConcept? ChooseAcute(Random rng, DateTime at, int age, SimPatient p)
    {
        var winter = at.Month is 11 or 12 or 1 or 2 or 3;
        var wave = options.Drift.Contains(DriftScenario.RespiratoryWave) && at >= _driftStart.AddDays(-60) && at < _driftStart.AddDays(90);
        var waveFactor = wave ? 6.0 : 1.0;
        (ClinicalConcept Concept, double P)[] table =
        [
            (Concepts.Covid19, (winter ? 0.04 : 0.015) * waveFactor),
            (Concepts.Influenza, (winter ? 0.04 : 0.005) * waveFactor),
            (Concepts.Pneumonia, (winter ? 0.035 : 0.015) * (age > 70 ? 1.8 : 1)),
            (Concepts.Bronchitis, winter ? 0.05 : 0.02),
            (Concepts.UrinaryTractInfection, p.Sex == Sex.Female ? 0.05 : 0.015),
            (Concepts.MyocardialInfarction, age > 50 ? 0.015 : 0.002),
            (Concepts.Stroke, age > 60 ? 0.01 : 0.001),
            (Concepts.Appendicitis, age < 40 ? 0.01 : 0.003),
        ];
        var roll = rng.NextDouble();
        foreach (var (concept, probability) in table)
        {
            if (roll < probability)
            {
                return concept;
            }

            roll -= probability;
        }

        return null;
    }

    private static ClinicalConcept[] SymptomsOf(ClinicalConcept? dx) => dx?.Key switch
    {
        "pneumonia" => [Concepts.Fever, Concepts.Cough, Concepts.Dyspnea],
        "acute-bronchitis" => [Concepts.Cough, Concepts.Fever],
        "influenza" => [Concepts.Fever, Concepts.Cough, Concepts.Headache],
        "covid-19" => [Concepts.Fever, Concepts.Cough, Concepts.Dyspnea, Concepts.Headache],
        "urinary-tract-infection" => [Concepts.AbdominalPain, Concepts.Fever],
        "myocardial-infarction" => [Concepts.ChestPain, Concepts.Dyspnea, Concepts.Nausea],
        "stroke" => [Concepts.Headache, Concepts.Nausea],
        "appendicitis" => [Concepts.AbdominalPain, Concepts.Nausea, Concepts.Fever],
        _ => [],
    };

    private static ClinicalConcept[] DifferentialsOf(ClinicalConcept? dx) => dx?.Key switch
    {
        "pneumonia" => [Concepts.Covid19],
        "acute-bronchitis" => [Concepts.Pneumonia],
        "influenza" => [Concepts.Covid19],
        "covid-19" => [Concepts.Influenza],
        "appendicitis" => [Concepts.UrinaryTractInfection],
        "myocardial-infarction" => [Concepts.HeartFailure],
        _ => [],
    };

    private void SimulateVisit(
        Random rng, ResourceBatch batch, List<NoteTruth> truths, SimPatient p, DateTime start, int visit, double baseBmi,
        List<ChronicCondition> chronic, List<(ClinicalConcept Concept, int Year)> past, List<FamilyHistoryItem> family,
        List<Medication> activeMeds, Dictionary<string, string> conditionIds)
    {
        var age = p.AgeAt(DateOnly.FromDateTime(start));
        var dx = ChooseAcute(rng, start, age, p);
        var encounterClass = dx?.Key switch
        {
            "myocardial-infarction" or "stroke" or "appendicitis" => EncounterClass.Inpatient,
            "pneumonia" => age > 70 || rng.Chance(0.4) ? EncounterClass.Inpatient : EncounterClass.Emergency,
            "covid-19" => age > 70 && rng.Chance(0.5) ? EncounterClass.Inpatient : EncounterClass.Emergency,
            "influenza" or "acute-bronchitis" or "urinary-tract-infection" => rng.Chance(0.6) ? EncounterClass.Ambulatory : EncounterClass.Emergency,
            _ => EncounterClass.Ambulatory,
        };
        if (encounterClass != EncounterClass.Ambulatory)
        {
            start = start.Date.AddHours(rng.Next(0, 24)).AddMinutes(rng.Next(0, 60));
        }

        var end = encounterClass switch
        {
            EncounterClass.Emergency => start.AddMinutes(rng.Next(120, 480)),
            EncounterClass.Inpatient => start.AddDays(rng.Next(2, 8)).AddHours(rng.Next(0, 6)),
            _ => start.AddMinutes(rng.Next(20, 46)),
        };
        if (end > _end)
        {
            end = _end;
        }

        var known = chronic.Where(c => c.DiagnosedAtVisit < visit).ToList();
        var isNew = chronic.Where(c => c.DiagnosedAtVisit == visit && visit > 0).Select(c => c.Concept).ToList();
        if (visit == 0)
        {
            known = [.. chronic.Where(c => c.DiagnosedAtVisit < 0)];
        }

        bool Has(ClinicalConcept c) => known.Exists(k => ReferenceEquals(k.Concept, c)) || isNew.Contains(c);

        var symptomPool = SymptomsOf(dx);
        var symptoms = symptomPool.Take(symptomPool.Length == 0 ? 0 : rng.Next(1, symptomPool.Length + 1)).ToList();
        if (Has(Concepts.HeartFailure) && rng.Chance(0.3) && !symptoms.Contains(Concepts.Edema))
        {
            symptoms.Add(Concepts.Edema);
        }

        var denied = Concepts.Symptoms.Where(s => !symptoms.Contains(s)).OrderBy(_ => rng.Next()).Take(rng.Next(1, 4)).ToList();
        var differentials = DifferentialsOf(dx).Where(d => rng.Chance(0.6)).ToList();
        if (dx is null && rng.Chance(0.12))
        {
            var candidate = rng.Pick(new[] { Concepts.Hypothyroidism, Concepts.Depression, Concepts.Diabetes2 });
            if (!Has(candidate))
            {
                differentials.Add(candidate);
            }
        }

        var encounterId = Seeds.NewId(rng);
        var practitioner = hospital.PractitionerFor(p.French, rng);
        WriteEncounter(batch, p, encounterId, encounterClass, start, end, dx, practitioner);

        // Conditions: the problem list on the first visit, new diagnoses and the acute episode.
        var recorded = start.AddMinutes(15);
        if (visit == 0)
        {
            foreach (var c in known)
            {
                conditionIds[c.Concept.Key] = WriteCondition(batch, rng, p, encounterId, c.Concept, new DateTime(c.SinceYear, rng.Next(1, 13), rng.Next(1, 29), 0, 0, 0, DateTimeKind.Unspecified), recorded, null, problemList: true);
            }

            foreach (var (c, year) in past)
            {
                var onset = new DateTime(year, rng.Next(1, 13), rng.Next(1, 29), 0, 0, 0, DateTimeKind.Unspecified);
                WriteCondition(batch, rng, p, encounterId, c, onset, recorded, onset.AddDays(rng.Next(7, 30)), problemList: true);
            }
        }

        foreach (var c in isNew)
        {
            conditionIds[c.Key] = WriteCondition(batch, rng, p, encounterId, c, start, recorded, null, problemList: true);
        }

        string? dxConditionId = null;
        if (dx is not null)
        {
            var abatement = end.AddDays(rng.Next(7, 22));
            dxConditionId = WriteCondition(batch, rng, p, encounterId, dx, start.AddDays(-rng.Next(1, 6)), recorded, abatement <= _end ? abatement : null, problemList: false);
        }

        // Vital signs.
        var vitals = new List<Measurement>();
        var fever = symptoms.Contains(Concepts.Fever);
        var respiratory = dx is not null && (dx == Concepts.Pneumonia || dx == Concepts.Covid19);
        var hypertensive = Has(Concepts.Hypertension);
        var sbp = rng.Normal(hypertensive ? 146 : 121, hypertensive ? 12 : 11) + ((age - 50) * 0.3);
        var dbp = Math.Min(sbp - 25, rng.Normal(hypertensive ? 90 : 77, 7));
        vitals.Add(Measure(Labs.Systolic, sbp, 70, 230));
        vitals.Add(Measure(Labs.Diastolic, dbp, 40, 130));
        vitals.Add(Measure(Labs.HeartRate, Has(Concepts.AtrialFibrillation) ? rng.Normal(92, 15) : rng.Normal(74, 9) + (fever ? 16 : 0), 40, 180));
        vitals.Add(Measure(Labs.RespiratoryRate, rng.Normal(respiratory ? 22 : 15, 2), 8, 40));
        vitals.Add(Measure(Labs.Temperature, fever ? rng.Normal(38.6, 0.5) : rng.Normal(36.8, 0.25), 35, 41.5));
        vitals.Add(Measure(Labs.OxygenSaturation, respiratory ? rng.Normal(92, 2.5) : rng.Normal(97.5, 1) - (Has(Concepts.Copd) ? 2.5 : 0), 80, 100));
        var bmi = Math.Clamp(baseBmi + rng.Normal(0, 0.4), 15, 60);
        var weight = bmi * Math.Pow(p.HeightCm / 100, 2);
        vitals.Add(Measure(Labs.BodyWeight, weight, 30, 250));
        if (visit == 0)
        {
            vitals.Add(Measure(Labs.BodyHeight, p.HeightCm, 120, 220));
        }

        vitals.Add(Measure(Labs.Bmi, weight / Math.Pow(p.HeightCm / 100, 2), 12, 70));
        var observedAt = start.AddMinutes(10);
        WriteBloodPressure(batch, rng, p, encounterId, observedAt, vitals[0], vitals[1]);
        for (var i = 2; i < vitals.Count; i++)
        {
            WriteObservation(batch, rng, p, encounterId, observedAt, vitals[i]);
        }

        // Laboratory.
        var labs = ChooseLabs(rng, start, encounterClass, dx, differentials, Has);
        var labsAt = start.AddMinutes(rng.Next(40, 180));
        foreach (var m in labs)
        {
            WriteObservation(batch, rng, p, encounterId, labsAt < end ? labsAt : end, m);
        }

        if (dx == Concepts.Covid19 || dx == Concepts.Influenza || differentials.Contains(Concepts.Covid19))
        {
            WritePcr(batch, rng, p, encounterId, labsAt < end ? labsAt : end, detected: dx == Concepts.Covid19);
        }

        // Prescriptions: home medications renewed on the first visit, then what the new diagnoses call for.
        var newMeds = new List<(Medication Med, string? Reason, bool Acute)>();
        if (visit == 0)
        {
            foreach (var c in known)
            {
                foreach (var m in Medications.For(c.Concept))
                {
                    if (!activeMeds.Contains(m))
                    {
                        activeMeds.Add(m);
                        WriteMedicationRequest(batch, rng, p, encounterId, m, start, conditionIds.GetValueOrDefault(c.Concept.Key), acute: false, practitioner);
                    }
                }
            }

            if (past.Exists(e => e.Concept == Concepts.MyocardialInfarction || e.Concept == Concepts.Stroke))
            {
                foreach (var m in new[] { Medications.Aspirin, Medications.Atorvastatin })
                {
                    if (!activeMeds.Contains(m))
                    {
                        activeMeds.Add(m);
                        WriteMedicationRequest(batch, rng, p, encounterId, m, start, null, acute: false, practitioner);
                    }
                }
            }
        }

        var homeMeds = activeMeds.ToList();
        foreach (var c in isNew)
        {
            foreach (var m in Medications.For(c))
            {
                newMeds.Add((m, conditionIds.GetValueOrDefault(c.Key), false));
            }
        }

        if (Has(Concepts.Diabetes2) && labs.Exists(m => m.Test == Labs.HbA1c && m.Value >= 9.0))
        {
            newMeds.Add((Medications.InsulinGlargine, conditionIds.GetValueOrDefault(Concepts.Diabetes2.Key), false));
        }

        if (dx is not null)
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

            WriteMedicationRequest(batch, rng, p, encounterId, m, start.AddMinutes(30), reason, acute, practitioner);
        }

        // Procedures.
        if (dx is not null)
        {
            foreach (var proc in Procedures.For(dx))
            {
                WriteProcedure(batch, rng, p, encounterId, proc, start, end, dxConditionId);
            }
        }
        else
        {
            foreach (var c in known)
            {
                if (rng.Chance(0.15))
                {
                    foreach (var proc in Procedures.For(c.Concept))
                    {
                        WriteProcedure(batch, rng, p, encounterId, proc, start, end, conditionIds.GetValueOrDefault(c.Concept.Key));
                    }
                }
            }
        }

        // The note.
        var facts = new EncounterFacts(
            p, encounterClass, start, dx, differentials, symptoms, denied,
            [.. known.Select(k => (k.Concept, k.SinceYear == 0 ? start.Year : k.SinceYear))],
            isNew, past, family, vitals, labs, homeMeds, started);
        var documentId = Seeds.NewId(rng);
        var truth = NoteComposer.Compose(facts, rng, documentId, encounterId);
        truths.Add(truth);
        WriteDocumentReference(batch, p, documentId, encounterId, encounterClass, end, practitioner, truth);

        // Chronic conditions found at this visit are "known since" this year from now on.
        for (var i = 0; i < chronic.Count; i++)
        {
            if (chronic[i].DiagnosedAtVisit == visit && visit > 0)
            {
                chronic[i] = chronic[i] with { SinceYear = start.Year };
            }
        }
    }

    private List<Measurement> ChooseLabs(Random rng, DateTime at, EncounterClass encounterClass, ClinicalConcept? dx, List<ClinicalConcept> differentials, Func<ClinicalConcept, bool> has)
    {
        var labs = new List<Measurement>();
        var acuteCare = encounterClass != EncounterClass.Ambulatory;
        var diabetic = has(Concepts.Diabetes2);
        if (diabetic ? rng.Chance(0.9) : rng.Chance(0.1) || differentials.Contains(Concepts.Diabetes2))
        {
            var value = diabetic ? rng.Normal(7.6, 1.0) : rng.Normal(5.4, 0.3);
            var high = 5.6;
            if (Drift(DriftScenario.Hba1cAssayChange, at))
            {
                value += 0.4;
                high = 6.0;
            }

            labs.Add(Measure(Labs.HbA1c, value, 4, 15) with { RangeHigh = high });
        }

        if (diabetic ? rng.Chance(0.9) : rng.Chance(0.25) || acuteCare)
        {
            var mgdl = diabetic ? rng.Normal(155, 35) : rng.Normal(93, 10);
            labs.Add(Drift(DriftScenario.GlucoseUnitChange, at)
                ? Measure(Labs.GlucoseMolar, mgdl / 18.016, 2, 35)
                : Measure(Labs.GlucoseMass, mgdl, 40, 600));
        }

        var ckd = has(Concepts.ChronicKidneyDisease);
        if (ckd ? rng.Chance(0.9) : acuteCare || rng.Chance(0.3))
        {
            labs.Add(Measure(Labs.CreatinineMass, ckd ? rng.Normal(1.8, 0.3) : rng.Normal(0.9, 0.15), 0.3, 8));
            labs.Add(Measure(Labs.Egfr, ckd ? rng.Normal(45, 7) : rng.Normal(95, 12), 5, 140));
        }

        if (has(Concepts.Hyperlipidemia) ? rng.Chance(0.6) : rng.Chance(0.1))
        {
            var lipids = has(Concepts.Hyperlipidemia);
            labs.Add(Measure(Labs.Ldl, lipids ? rng.Normal(160, 25) : rng.Normal(110, 20), 30, 300));
            labs.Add(Measure(Labs.TotalCholesterol, lipids ? rng.Normal(245, 30) : rng.Normal(185, 25), 80, 400));
        }

        if (has(Concepts.HeartFailure) && rng.Chance(0.7) || differentials.Contains(Concepts.HeartFailure))
        {
            labs.Add(Measure(Labs.NtProBnp, has(Concepts.HeartFailure) ? rng.Normal(1500, 600) : rng.Normal(80, 30), 5, 9000));
        }

        if (dx is { Kind: ConceptKind.Acute } && dx != Concepts.MyocardialInfarction && dx != Concepts.Stroke)
        {
            var crp = dx.Key switch { "pneumonia" => rng.Normal(120, 50), "appendicitis" => rng.Normal(80, 30), "urinary-tract-infection" => rng.Normal(40, 20), _ => rng.Normal(18, 8) };
            labs.Add(Measure(Labs.Crp, crp, 0.5, 400));
            labs.Add(Measure(Labs.Leukocytes, dx == Concepts.Pneumonia || dx == Concepts.Appendicitis ? rng.Normal(14, 3) : rng.Normal(9, 2), 1, 40));
        }

        if (dx == Concepts.MyocardialInfarction)
        {
            labs.Add(Measure(Labs.TroponinI, rng.Normal(2.5, 1.5), 0.1, 50));
        }

        if (has(Concepts.Hypothyroidism) || differentials.Contains(Concepts.Hypothyroidism))
        {
            labs.Add(Measure(Labs.Tsh, has(Concepts.Hypothyroidism) ? rng.Normal(5.5, 2) : rng.Normal(2, 0.8), 0.05, 60));
        }

        if (acuteCare)
        {
            labs.Add(Measure(Labs.Hemoglobin, rng.Normal(13.6, 1.4), 6, 20));
            labs.Add(Measure(Labs.Potassium, rng.Normal(4.2, 0.4), 2.5, 7));
            labs.Add(Measure(Labs.Sodium, rng.Normal(139, 3), 120, 160));
        }

        return labs;
    }

    private static Measurement Measure(LabTest test, double value, double min, double max)
    {
        var rounded = Math.Round(Math.Clamp(value, min, max), test.Decimals);
        return new Measurement(test, rounded, test.High);
    }

    private string Ref(string type, string id) => urnReferences ? "urn:uuid:" + id : type + "/" + id;

    private string Time(DateTime t, SimPatient p) => LocalTime.Format(t, p.French);

    private void Meta(Utf8JsonWriter w, DateTime lastUpdated, SimPatient p)
    {
        w.WriteStartObject("meta");
        w.WriteString("versionId", "1");
        w.WriteString("lastUpdated", Time(lastUpdated < _end ? lastUpdated : _end, p));
        w.WriteEndObject();
    }

    private void WritePatient(ResourceBatch batch, SimPatient p)
    {
        var w = batch.Begin("Patient", p.Id);
        Meta(w, _start, p);
        w.WriteStartArray("identifier");
        w.WriteStartObject();
        w.WriteString("use", "usual");
        FhirJson.Concept(w, "type", null, new Code("http://terminology.hl7.org/CodeSystem/v2-0203", "MR", "Medical record number"));
        w.WriteString("system", "urn:fhirhouse:hospital:mrn");
        w.WriteString("value", p.Mrn);
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteBoolean("active", true);
        w.WriteStartArray("name");
        w.WriteStartObject();
        w.WriteString("use", "official");
        w.WriteString("family", p.Family);
        w.WriteStartArray("given");
        w.WriteStringValue(p.Given);
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteStartArray("telecom");
        w.WriteStartObject();
        w.WriteString("system", "phone");
        w.WriteString("value", p.Phone);
        w.WriteString("use", "mobile");
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteString("gender", p.Sex == Sex.Female ? "female" : "male");
        w.WriteString("birthDate", p.BirthDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        w.WriteStartArray("address");
        w.WriteStartObject();
        w.WriteString("use", "home");
        w.WriteStartArray("line");
        w.WriteStringValue(p.Street);
        w.WriteEndArray();
        w.WriteString("city", p.Place.City);
        w.WriteString("district", p.Place.District);
        w.WriteString("postalCode", p.Place.PostalCode);
        w.WriteString("country", p.Place.Country);
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteStartArray("communication");
        w.WriteStartObject();
        FhirJson.Concept(w, "language", null, new Code("urn:ietf:bcp:47", p.French ? "fr" : "en", p.French ? "French" : "English"));
        w.WriteBoolean("preferred", true);
        w.WriteEndObject();
        w.WriteEndArray();
        FhirJson.Reference(w, "managingOrganization", "Organization/" + hospital.OrganizationId);
        batch.End();
    }

    private void WriteResearchConsent(ResourceBatch batch, SimPatient p, string id, DateTime signed)
    {
        var w = batch.Begin("Consent", id);
        Meta(w, signed, p);
        w.WriteString("status", "active");
        FhirJson.Concept(w, "scope", null, new Code("http://terminology.hl7.org/CodeSystem/consentscope", "research", "Research"));
        FhirJson.ConceptList(w, "category", new Code("http://loinc.org", "57016-8", "Privacy policy acknowledgment Document"));
        FhirJson.Reference(w, "patient", Ref("Patient", p.Id));
        w.WriteString("dateTime", Time(signed, p));
        FhirJson.Concept(w, "policyRule", null, new Code(ActCode, "OPTIN", "opt-in"));
        w.WriteStartObject("provision");
        w.WriteString("type", "permit");
        w.WriteStartArray("purpose");
        FhirJson.CodingObject(w, new Code("http://terminology.hl7.org/CodeSystem/v3-ActReason", "HRESCH", "healthcare research"));
        w.WriteEndArray();
        w.WriteEndObject();
        batch.End();
    }

    private void WriteEncounter(ResourceBatch batch, SimPatient p, string id, EncounterClass encounterClass, DateTime start, DateTime end, ClinicalConcept? dx, string practitioner)
    {
        var w = batch.Begin("Encounter", id);
        Meta(w, end, p);
        w.WriteString("status", "finished");
        var (code, display) = encounterClass switch
        {
            EncounterClass.Emergency => ("EMER", "emergency"),
            EncounterClass.Inpatient => ("IMP", "inpatient encounter"),
            _ => ("AMB", "ambulatory"),
        };
        w.WriteStartObject("class");
        w.WriteString("system", ActCode);
        w.WriteString("code", code);
        w.WriteString("display", display);
        w.WriteEndObject();
        var type = encounterClass switch
        {
            EncounterClass.Emergency => new Code(Code.Snomed, "50849002", "Emergency room admission"),
            EncounterClass.Inpatient => new Code(Code.Snomed, "183452005", "Emergency hospital admission"),
            _ => dx is null ? new Code(Code.Snomed, "185349003", "Encounter for check up") : new Code(Code.Snomed, "185345009", "Encounter for symptom"),
        };
        FhirJson.ConceptList(w, "type", type);
        FhirJson.Reference(w, "subject", Ref("Patient", p.Id));
        w.WriteStartArray("participant");
        w.WriteStartObject();
        FhirJson.Reference(w, "individual", "Practitioner/" + practitioner);
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteStartObject("period");
        w.WriteString("start", Time(start, p));
        w.WriteString("end", Time(end, p));
        w.WriteEndObject();
        if (dx is not null)
        {
            FhirJson.ConceptList(w, "reasonCode", dx.Snomed);
        }

        FhirJson.Reference(w, "serviceProvider", "Organization/" + hospital.OrganizationId);
        batch.End();
    }

    private string WriteCondition(ResourceBatch batch, Random rng, SimPatient p, string encounterId, ClinicalConcept c, DateTime onset, DateTime recorded, DateTime? abatement, bool problemList)
    {
        var id = Seeds.NewId(rng);
        var w = batch.Begin("Condition", id);
        Meta(w, recorded, p);
        var status = abatement is null ? "active" : "resolved";
        FhirJson.Concept(w, "clinicalStatus", null, new Code(ClinicalStatus, status, status == "active" ? "Active" : "Resolved"));
        FhirJson.Concept(w, "verificationStatus", null, new Code(VerificationStatus, "confirmed", "Confirmed"));
        FhirJson.ConceptList(w, "category", problemList
            ? new Code(ConditionCategory, "problem-list-item", "Problem List Item")
            : new Code(ConditionCategory, "encounter-diagnosis", "Encounter Diagnosis"));
        var snomedOnly = Drift(DriftScenario.CodingPracticeChange, recorded);
        var snomed = snomedOnly && c == Concepts.Hypertension ? EssentialHypertension : c.Snomed;
        if (snomedOnly)
        {
            FhirJson.Concept(w, "code", snomed.Display, snomed);
        }
        else
        {
            FhirJson.Concept(w, "code", c.Icd10.Display, c.Icd10, snomed);
        }

        FhirJson.Reference(w, "subject", Ref("Patient", p.Id));
        FhirJson.Reference(w, "encounter", Ref("Encounter", encounterId));
        w.WriteString("onsetDateTime", Time(onset, p));
        if (abatement is { } a)
        {
            w.WriteString("abatementDateTime", Time(a, p));
        }

        w.WriteString("recordedDate", Time(recorded, p));
        batch.End();
        return id;
    }

    private void WriteObservation(ResourceBatch batch, Random rng, SimPatient p, string encounterId, DateTime at, Measurement m)
    {
        var w = batch.Begin("Observation", Seeds.NewId(rng));
        Meta(w, at, p);
        w.WriteString("status", "final");
        ObservationCategoryOf(w, m.Test.Category);
        FhirJson.Concept(w, "code", m.Test.Loinc.Display, m.Test.Loinc);
        FhirJson.Reference(w, "subject", Ref("Patient", p.Id));
        FhirJson.Reference(w, "encounter", Ref("Encounter", encounterId));
        w.WriteString("effectiveDateTime", Time(at, p));
        w.WriteString("issued", Time(at.AddMinutes(rng.Next(5, 90)), p));
        FhirJson.Quantity(w, "valueQuantity", m.Value, m.Test.Decimals, m.Test.UcumCode);
        if (m.Test.Category == Labs.Laboratory || m.RangeHigh > 0)
        {
            var flag = m.Value > m.RangeHigh && m.RangeHigh > 0 ? ("H", "High") : m.Value < m.Test.Low ? ("L", "Low") : ("N", "Normal");
            FhirJson.ConceptList(w, "interpretation", new Code(Interpretation, flag.Item1, flag.Item2));
            w.WriteStartArray("referenceRange");
            w.WriteStartObject();
            FhirJson.Quantity(w, "low", m.Test.Low, m.Test.Decimals, m.Test.UcumCode);
            FhirJson.Quantity(w, "high", m.RangeHigh, m.Test.Decimals, m.Test.UcumCode);
            w.WriteEndObject();
            w.WriteEndArray();
        }

        batch.End();
    }

    private void WriteBloodPressure(ResourceBatch batch, Random rng, SimPatient p, string encounterId, DateTime at, Measurement systolic, Measurement diastolic)
    {
        var w = batch.Begin("Observation", Seeds.NewId(rng));
        Meta(w, at, p);
        w.WriteString("status", "final");
        ObservationCategoryOf(w, Labs.VitalSigns);
        FhirJson.Concept(w, "code", "Blood pressure", Labs.BloodPressurePanel);
        FhirJson.Reference(w, "subject", Ref("Patient", p.Id));
        FhirJson.Reference(w, "encounter", Ref("Encounter", encounterId));
        w.WriteString("effectiveDateTime", Time(at, p));
        w.WriteStartArray("component");
        foreach (var m in new[] { systolic, diastolic })
        {
            w.WriteStartObject();
            FhirJson.Concept(w, "code", m.Test.Loinc.Display, m.Test.Loinc);
            FhirJson.Quantity(w, "valueQuantity", m.Value, 0, m.Test.UcumCode);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        batch.End();
    }

    private void WritePcr(ResourceBatch batch, Random rng, SimPatient p, string encounterId, DateTime at, bool detected)
    {
        var w = batch.Begin("Observation", Seeds.NewId(rng));
        Meta(w, at, p);
        w.WriteString("status", "final");
        ObservationCategoryOf(w, Labs.Laboratory);
        FhirJson.Concept(w, "code", Labs.Sars2Pcr.Display, Labs.Sars2Pcr);
        FhirJson.Reference(w, "subject", Ref("Patient", p.Id));
        FhirJson.Reference(w, "encounter", Ref("Encounter", encounterId));
        w.WriteString("effectiveDateTime", Time(at, p));
        var result = detected ? Labs.Detected : Labs.NotDetected;
        FhirJson.Concept(w, "valueCodeableConcept", result.Display, result);
        batch.End();
    }

    private static void ObservationCategoryOf(Utf8JsonWriter w, string category) =>
        FhirJson.ConceptList(w, "category", new Code(ObservationCategory, category, category == Labs.VitalSigns ? "Vital Signs" : "Laboratory"));

    private void WriteMedicationRequest(ResourceBatch batch, Random rng, SimPatient p, string encounterId, Medication m, DateTime at, string? reasonConditionId, bool acute, string practitioner)
    {
        var w = batch.Begin("MedicationRequest", Seeds.NewId(rng));
        Meta(w, at, p);
        w.WriteString("status", acute && at.AddDays(10) < _end ? "completed" : "active");
        w.WriteString("intent", "order");
        FhirJson.Concept(w, "medicationCodeableConcept", p.French ? m.NameFr : m.RxNorm.Display, m.RxNorm, m.Atc);
        FhirJson.Reference(w, "subject", Ref("Patient", p.Id));
        FhirJson.Reference(w, "encounter", Ref("Encounter", encounterId));
        w.WriteString("authoredOn", Time(at, p));
        FhirJson.Reference(w, "requester", "Practitioner/" + practitioner);
        if (reasonConditionId is not null)
        {
            FhirJson.ReferenceList(w, "reasonReference", Ref("Condition", reasonConditionId));
        }

        w.WriteStartArray("dosageInstruction");
        w.WriteStartObject();
        w.WriteString("text", p.French ? m.DosageFr : m.DosageEn);
        w.WriteEndObject();
        w.WriteEndArray();
        batch.End();
    }

    private void WriteProcedure(ResourceBatch batch, Random rng, SimPatient p, string encounterId, Code code, DateTime start, DateTime end, string? reasonConditionId)
    {
        var w = batch.Begin("Procedure", Seeds.NewId(rng));
        var performedStart = start.AddMinutes(rng.Next(30, 120));
        if (performedStart > end)
        {
            performedStart = start;
        }

        var performedEnd = performedStart.AddMinutes(rng.Next(10, 90));
        if (performedEnd > end)
        {
            performedEnd = end;
        }

        Meta(w, performedEnd, p);
        w.WriteString("status", "completed");
        FhirJson.Concept(w, "code", code.Display, code);
        FhirJson.Reference(w, "subject", Ref("Patient", p.Id));
        FhirJson.Reference(w, "encounter", Ref("Encounter", encounterId));
        w.WriteStartObject("performedPeriod");
        w.WriteString("start", Time(performedStart, p));
        w.WriteString("end", Time(performedEnd, p));
        w.WriteEndObject();
        if (reasonConditionId is not null)
        {
            FhirJson.ReferenceList(w, "reasonReference", Ref("Condition", reasonConditionId));
        }

        batch.End();
    }

    private void WriteDocumentReference(ResourceBatch batch, SimPatient p, string id, string encounterId, EncounterClass encounterClass, DateTime at, string practitioner, NoteTruth note)
    {
        var w = batch.Begin("DocumentReference", id);
        Meta(w, at, p);
        w.WriteString("status", "current");
        w.WriteString("docStatus", "final");
        var type = NoteComposer.DocumentType(encounterClass);
        FhirJson.Concept(w, "type", type.Display, type);
        FhirJson.Reference(w, "subject", Ref("Patient", p.Id));
        w.WriteString("date", Time(at, p));
        FhirJson.ReferenceList(w, "author", "Practitioner/" + practitioner);
        w.WriteStartArray("content");
        w.WriteStartObject();
        w.WriteStartObject("attachment");
        w.WriteString("contentType", "text/plain; charset=utf-8");
        w.WriteString("language", note.Language);
        w.WriteBase64String("data", Encoding.UTF8.GetBytes(note.Text));
        w.WriteString("title", type.Display);
        w.WriteString("creation", Time(at, p));
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteStartObject("context");
        FhirJson.ReferenceList(w, "encounter", Ref("Encounter", encounterId));
        w.WriteEndObject();
        batch.End();
    }
}
