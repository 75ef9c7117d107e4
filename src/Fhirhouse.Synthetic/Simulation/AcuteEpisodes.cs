using Fhirhouse.Synthetic.Catalog;

namespace Fhirhouse.Synthetic.Simulation;

/// <summary>
/// The acute reason for a visit, if any (seasonal, by age and sex, a respiratory wave around the drift start under
/// <see cref="DriftScenario.RespiratoryWave"/>), the symptoms it brings and the diagnoses a clinician would weigh against it.
/// </summary>
internal static class AcuteEpisodes
{
    public static ClinicalConcept? Choose(Random rng, SimulationSpan span, DateTime at, int age, SimPatient p)
    {
        var winter = at.Month is 11 or 12 or 1 or 2 or 3;
        var wave = span.Includes(DriftScenario.RespiratoryWave) && at >= span.DriftStart.AddDays(-60) && at < span.DriftStart.AddDays(90);
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

    public static ClinicalConcept[] SymptomsOf(ClinicalConcept? dx) => dx?.Key switch
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

    public static ClinicalConcept[] DifferentialsOf(ClinicalConcept? dx) => dx?.Key switch
    {
        "pneumonia" => [Concepts.Covid19],
        "acute-bronchitis" => [Concepts.Pneumonia],
        "influenza" => [Concepts.Covid19],
        "covid-19" => [Concepts.Influenza],
        "appendicitis" => [Concepts.UrinaryTractInfection],
        "myocardial-infarction" => [Concepts.HeartFailure],
        _ => [],
    };
}
