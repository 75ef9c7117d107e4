using Fhirhouse.Synthetic.Catalog;
using Fhirhouse.Synthetic.Simulation.Resources;

namespace Fhirhouse.Synthetic.Simulation;

/// <summary>
/// The vital signs taken ten minutes into a visit (blood pressure, heart and respiratory rate, temperature, SpO2, weight,
/// height on the first visit, BMI), shaped by the patient's conditions and the acute episode; each one an Observation.
/// </summary>
internal static class VitalSigns
{
    /// <summary>Measures and records them; returns them in that order, systolic and diastolic first.</summary>
    public static List<Measurement> Take(PatientChart chart, Visit visit)
    {
        var rng = chart.Rng;
        var p = chart.Patient;
        var dx = visit.Diagnosis;
        var vitals = new List<Measurement>();
        var fever = visit.Symptoms.Contains(Concepts.Fever);
        var respiratory = dx is not null && (dx == Concepts.Pneumonia || dx == Concepts.Covid19);
        var hypertensive = visit.Has(Concepts.Hypertension);
        var sbp = rng.Normal(hypertensive ? 146 : 121, hypertensive ? 12 : 11) + ((visit.Age - 50) * 0.3);
        var dbp = Math.Min(sbp - 25, rng.Normal(hypertensive ? 90 : 77, 7));
        vitals.Add(Measurement.Of(Labs.Systolic, sbp, 70, 230));
        vitals.Add(Measurement.Of(Labs.Diastolic, dbp, 40, 130));
        vitals.Add(Measurement.Of(Labs.HeartRate, visit.Has(Concepts.AtrialFibrillation) ? rng.Normal(92, 15) : rng.Normal(74, 9) + (fever ? 16 : 0), 40, 180));
        vitals.Add(Measurement.Of(Labs.RespiratoryRate, rng.Normal(respiratory ? 22 : 15, 2), 8, 40));
        vitals.Add(Measurement.Of(Labs.Temperature, fever ? rng.Normal(38.6, 0.5) : rng.Normal(36.8, 0.25), 35, 41.5));
        vitals.Add(Measurement.Of(Labs.OxygenSaturation, respiratory ? rng.Normal(92, 2.5) : rng.Normal(97.5, 1) - (visit.Has(Concepts.Copd) ? 2.5 : 0), 80, 100));
        var bmi = Math.Clamp(chart.BaseBmi + rng.Normal(0, 0.4), 15, 60);
        var weight = bmi * Math.Pow(p.HeightCm / 100, 2);
        vitals.Add(Measurement.Of(Labs.BodyWeight, weight, 30, 250));
        if (visit.IsFirst)
        {
            vitals.Add(Measurement.Of(Labs.BodyHeight, p.HeightCm, 120, 220));
        }

        vitals.Add(Measurement.Of(Labs.Bmi, weight / Math.Pow(p.HeightCm / 100, 2), 12, 70));
        var observedAt = visit.Start.AddMinutes(10);
        ObservationJson.BloodPressure(chart.Resources, Seeds.NewId(rng), visit.EncounterId, observedAt, vitals[0], vitals[1]);
        for (var i = 2; i < vitals.Count; i++)
        {
            var id = Seeds.NewId(rng);
            ObservationJson.Measured(chart.Resources, id, visit.EncounterId, observedAt, observedAt.AddMinutes(rng.Next(5, 90)), vitals[i]);
        }

        return vitals;
    }
}
