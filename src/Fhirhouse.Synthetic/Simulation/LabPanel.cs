using Fhirhouse.Synthetic.Catalog;
using Fhirhouse.Synthetic.Simulation.Resources;

namespace Fhirhouse.Synthetic.Simulation;

/// <summary>
/// The laboratory tests a visit orders, by the patient's conditions (prediabetes before type 2 diabetes), the acute episode and the differentials (with the
/// HbA1c assay and glucose unit drifts), each result an Observation; a SARS-CoV-2 PCR when COVID-19 or influenza is in play.
/// </summary>
internal static class LabPanel
{
    /// <summary>Orders and records them; returns the measured results (the PCR is not among them).</summary>
    public static List<Measurement> Order(PatientChart chart, Visit visit)
    {
        var rng = chart.Rng;
        var labs = Choose(chart, visit);
        var labsAt = visit.Start.AddMinutes(rng.Next(40, 180));
        var at = labsAt < visit.End ? labsAt : visit.End;
        foreach (var m in labs)
        {
            var id = Seeds.NewId(rng);
            ObservationJson.Measured(chart.Resources, id, visit.EncounterId, at, at.AddMinutes(rng.Next(5, 90)), m);
        }

        var dx = visit.Diagnosis;
        if (dx == Concepts.Covid19 || dx == Concepts.Influenza || visit.Differentials.Contains(Concepts.Covid19))
        {
            ObservationJson.Pcr(chart.Resources, Seeds.NewId(rng), visit.EncounterId, at, detected: dx == Concepts.Covid19);
        }

        return labs;
    }

    private static List<Measurement> Choose(PatientChart chart, Visit visit)
    {
        var rng = chart.Rng;
        var span = chart.Span;
        var at = visit.Start;
        var dx = visit.Diagnosis;
        var differentials = visit.Differentials;
        var labs = new List<Measurement>();
        var acuteCare = visit.Class != EncounterClass.Ambulatory;
        var diabetic = visit.Has(Concepts.Diabetes2);
        var prediabetic = !diabetic && chart.Develops(Concepts.Diabetes2, visit.Index);
        if (diabetic ? rng.Chance(0.9) : rng.Chance(prediabetic ? 0.45 : 0.1) || differentials.Contains(Concepts.Diabetes2))
        {
            // Without diabetes HbA1c rises a little with BMI; prediabetes (5.7-6.4 %) comes before a diagnosis.
            var value = diabetic ? rng.Normal(7.6, 1.0) : prediabetic ? rng.Normal(6.1, 0.3) : rng.Normal(5.3 + (0.015 * (chart.BaseBmi - 26)), 0.3);
            var high = 5.6;
            if (span.InEffect(DriftScenario.Hba1cAssayChange, at))
            {
                value += 0.4;
                high = 6.0;
            }

            labs.Add(Measurement.Of(Labs.HbA1c, value, 4, 15) with { RangeHigh = high });
        }

        if (diabetic ? rng.Chance(0.9) : rng.Chance(prediabetic ? 0.5 : 0.25) || acuteCare)
        {
            var mgdl = diabetic ? rng.Normal(155, 35) : prediabetic ? rng.Normal(112, 12) : rng.Normal(93, 10);
            labs.Add(span.InEffect(DriftScenario.GlucoseUnitChange, at)
                ? Measurement.Of(Labs.GlucoseMolar, mgdl / 18.016, 2, 35)
                : Measurement.Of(Labs.GlucoseMass, mgdl, 40, 600));
        }

        var ckd = visit.Has(Concepts.ChronicKidneyDisease);
        if (ckd ? rng.Chance(0.9) : acuteCare || rng.Chance(0.3))
        {
            labs.Add(Measurement.Of(Labs.CreatinineMass, ckd ? rng.Normal(1.8, 0.3) : rng.Normal(0.9, 0.15), 0.3, 8));
            labs.Add(Measurement.Of(Labs.Egfr, ckd ? rng.Normal(45, 7) : rng.Normal(95, 12), 5, 140));
        }

        if (visit.Has(Concepts.Hyperlipidemia) ? rng.Chance(0.6) : rng.Chance(0.1))
        {
            var lipids = visit.Has(Concepts.Hyperlipidemia);
            labs.Add(Measurement.Of(Labs.Ldl, lipids ? rng.Normal(160, 25) : rng.Normal(110, 20), 30, 300));
            labs.Add(Measurement.Of(Labs.TotalCholesterol, lipids ? rng.Normal(245, 30) : rng.Normal(185, 25), 80, 400));
        }

        if (visit.Has(Concepts.HeartFailure) && rng.Chance(0.7) || differentials.Contains(Concepts.HeartFailure))
        {
            labs.Add(Measurement.Of(Labs.NtProBnp, visit.Has(Concepts.HeartFailure) ? rng.Normal(1500, 600) : rng.Normal(80, 30), 5, 9000));
        }

        if (dx is { Kind: ConceptKind.Acute } && dx != Concepts.MyocardialInfarction && dx != Concepts.Stroke)
        {
            var crp = dx.Key switch { "pneumonia" => rng.Normal(120, 50), "appendicitis" => rng.Normal(80, 30), "urinary-tract-infection" => rng.Normal(40, 20), _ => rng.Normal(18, 8) };
            labs.Add(Measurement.Of(Labs.Crp, crp, 0.5, 400));
            labs.Add(Measurement.Of(Labs.Leukocytes, dx == Concepts.Pneumonia || dx == Concepts.Appendicitis ? rng.Normal(14, 3) : rng.Normal(9, 2), 1, 40));
        }

        if (dx == Concepts.MyocardialInfarction)
        {
            labs.Add(Measurement.Of(Labs.TroponinI, rng.Normal(2.5, 1.5), 0.1, 50));
        }

        if (visit.Has(Concepts.Hypothyroidism) || differentials.Contains(Concepts.Hypothyroidism))
        {
            labs.Add(Measurement.Of(Labs.Tsh, visit.Has(Concepts.Hypothyroidism) ? rng.Normal(5.5, 2) : rng.Normal(2, 0.8), 0.05, 60));
        }

        if (acuteCare)
        {
            labs.Add(Measurement.Of(Labs.Hemoglobin, rng.Normal(13.6, 1.4), 6, 20));
            labs.Add(Measurement.Of(Labs.Potassium, rng.Normal(4.2, 0.4), 2.5, 7));
            labs.Add(Measurement.Of(Labs.Sodium, rng.Normal(139, 3), 120, 160));
        }

        return labs;
    }
}
