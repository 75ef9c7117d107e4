using System.Text.Json;
using Fhirhouse.Synthetic;
using Fhirhouse.Testing;

namespace Fhirhouse.Synthetic.Tests;

public sealed class DriftTests(GeneratedHospital hospital) : IClassFixture<GeneratedHospital>
{
    private static readonly DateTimeOffset DriftStart = new(2024, 1, 1, 0, 0, 0, TimeSpan.FromHours(2));

    private static string Loinc(JsonElement o) => o.GetProperty("code").GetProperty("coding")[0].GetProperty("code").GetString()!;

    private static DateTimeOffset Effective(JsonElement o) => DateTimeOffset.Parse(o.GetProperty("effectiveDateTime").GetString()!, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Glucose_is_reported_in_mg_per_dl_before_the_drift_start_and_in_mmol_per_l_after()
    {
        var glucose = hospital.Resources["Observation"].Where(o => Loinc(o) is "2345-7" or "14749-6").ToList();
        var before = glucose.Where(o => Effective(o) < DriftStart.AddDays(-1)).ToList();
        var after = glucose.Where(o => Effective(o) > DriftStart.AddDays(1)).ToList();
        Assert.NotEmpty(before);
        Assert.NotEmpty(after);
        Assert.All(before, o => Assert.Equal("mg/dL", o.GetProperty("valueQuantity").GetProperty("code").GetString()));
        Assert.All(after, o => Assert.Equal("mmol/L", o.GetProperty("valueQuantity").GetProperty("code").GetString()));
    }

    [Fact]
    public void The_new_hba1c_assay_moves_the_reference_range()
    {
        var hba1c = hospital.Resources["Observation"].Where(o => Loinc(o) == "4548-4").ToList();
        static decimal High(JsonElement o) => o.GetProperty("referenceRange")[0].GetProperty("high").GetProperty("value").GetDecimal();
        Assert.All(hba1c.Where(o => Effective(o) < DriftStart.AddDays(-1)), o => Assert.Equal(5.6m, High(o)));
        Assert.All(hba1c.Where(o => Effective(o) > DriftStart.AddDays(1)), o => Assert.Equal(6.0m, High(o)));
    }

    [Fact]
    public void Conditions_recorded_after_the_drift_start_are_coded_in_snomed_only()
    {
        static DateTimeOffset Recorded(JsonElement c) => DateTimeOffset.Parse(c.GetProperty("recordedDate").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        static string[] Systems(JsonElement c) => [.. c.GetProperty("code").GetProperty("coding").EnumerateArray().Select(x => x.GetProperty("system").GetString()!)];
        var conditions = hospital.Resources["Condition"];
        Assert.All(conditions.Where(c => Recorded(c) < DriftStart.AddDays(-1)), c => Assert.Equal(["http://hl7.org/fhir/sid/icd-10", "http://snomed.info/sct"], Systems(c)));
        Assert.All(conditions.Where(c => Recorded(c) > DriftStart.AddDays(1)), c => Assert.Equal(["http://snomed.info/sct"], Systems(c)));
    }

    [Fact]
    public void Without_drift_the_same_seed_keeps_one_glucose_unit_and_the_ageing_scenario_raises_the_age_of_new_patients()
    {
        using var stable = new TempFolder();
        using var ageing = new TempFolder();
        var options = new HospitalOptions { Patients = 400, Seed = 11, Drift = DriftScenarios.Parse("none") };
        new HospitalGenerator(options).Generate(stable.Path);
        new HospitalGenerator(options with { Drift = DriftScenarios.Parse("ageing-population") }).Generate(ageing.Path);
        var units = File.ReadLines(Path.Combine(stable.Path, "Observation.000.ndjson")).Where(l => l.Contains("\"2345-7\"", StringComparison.Ordinal) || l.Contains("\"14749-6\"", StringComparison.Ordinal)).Select(l => l.Contains("mmol/L", StringComparison.Ordinal)).Distinct().ToList();
        Assert.Equal([false], units);

        var (earlyStable, lateStable) = MeanAgeAtFirstVisit(stable.Path);
        var (earlyAgeing, lateAgeing) = MeanAgeAtFirstVisit(ageing.Path);
        Assert.True(lateAgeing - earlyAgeing > (lateStable - earlyStable) + 3, $"ageing: {earlyAgeing:F1} -> {lateAgeing:F1}; stable: {earlyStable:F1} -> {lateStable:F1}");
    }

    private static (double Early, double Late) MeanAgeAtFirstVisit(string folder)
    {
        var birth = File.ReadLines(Path.Combine(folder, "Patient.000.ndjson"))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .ToDictionary(p => "Patient/" + p.GetProperty("id").GetString(), p => DateOnly.Parse(p.GetProperty("birthDate").GetString()!, System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);
        var firstVisit = new Dictionary<string, DateOnly>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(folder, "Encounter.000.ndjson")))
        {
            var e = JsonDocument.Parse(line).RootElement;
            var patient = e.GetProperty("subject").GetProperty("reference").GetString()!;
            var start = DateOnly.FromDateTime(DateTimeOffset.Parse(e.GetProperty("period").GetProperty("start").GetString()!, System.Globalization.CultureInfo.InvariantCulture).DateTime);
            if (!firstVisit.TryGetValue(patient, out var seen) || start < seen)
            {
                firstVisit[patient] = start;
            }
        }

        var ages = firstVisit.Select(kv => (kv.Value.Year, Age: (kv.Value.DayNumber - birth[kv.Key].DayNumber) / 365.25)).ToList();
        return (ages.Where(a => a.Year == 2022).Average(a => a.Age), ages.Where(a => a.Year == 2025).Average(a => a.Age));
    }
}
