using Fhirhouse.Synthetic.Catalog;

namespace Fhirhouse.Synthetic.Simulation;

/// <summary>
/// Who a new patient is: age (older each year under <see cref="DriftScenario.AgeingPopulation"/>), sex, language,
/// names, address and phone of their country, MRN, height.
/// </summary>
internal static class Demographics
{
    public static SimPatient Draw(HospitalOptions options, SimulationSpan span, int index, Random rng, DateTime firstVisit)
    {
        var yearsIn = (firstVisit - span.Start).TotalDays / 365.25;
        var meanAge = 50 + (span.Includes(DriftScenario.AgeingPopulation) ? 2.5 * yearsIn : 0);
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
}
