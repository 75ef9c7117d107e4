using Fhirhouse.Synthetic.Catalog;

namespace Fhirhouse.Synthetic.Simulation;

/// <summary>
/// What a patient brings to the first visit: chronic conditions by age, sex, BMI and family history (some to be found at a later
/// visit), past episodes long resolved, and the family history they report.
/// </summary>
internal static class MedicalHistory
{
    public static List<ChronicCondition> ChooseChronic(Random rng, SimPatient p, int age, double bmi, DateTime firstVisit, int visitCount, IReadOnlyList<FamilyHistoryItem> family)
    {
        var diabetesInFamily = family.Any(f => !f.Negated && ReferenceEquals(f.Concept, Concepts.Diabetes));
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
        if (!Has(Concepts.Diabetes2) && visitCount > 2 && rng.Chance(Diabetes2Incidence(age, bmi) + (diabetesInFamily ? 0.12 : 0)))
        {
            // Incident type 2 diabetes, found at a later visit after at least two visits of prediabetes (LabPanel).
            result.Add(new ChronicCondition(Concepts.Diabetes2, 0, rng.Next(2, visitCount)));
        }

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

    /// <summary>
    /// The chance that a patient without type 2 diabetes at the first visit is diagnosed during follow-up: higher with
    /// overweight, obesity and age (and, in <see cref="ChooseChronic"/>, with a parent or sibling who has diabetes, as
    /// the notes and messages say), so a 1-year onset model has something real to learn.
    /// </summary>
    public static double Diabetes2Incidence(int age, double bmi) =>
        0.05 + (bmi >= 30 ? 0.2 : bmi >= 27 ? 0.1 : 0) + (age >= 60 ? 0.1 : age >= 45 ? 0.06 : 0);

    public static List<(ClinicalConcept Concept, int Year)> ChoosePastEpisodes(Random rng, int age, DateTime firstVisit)
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

    public static List<FamilyHistoryItem> ChooseFamilyHistory(Random rng)
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
}
