namespace Fhirhouse.Synthetic;

/// <summary>Names (as written on the command line) and descriptions of the drift scenarios.</summary>
public static class DriftScenarios
{
    private static readonly (DriftScenario Scenario, string Name, string Description)[] s_table =
    [
        (DriftScenario.AgeingPopulation, "ageing-population", "new patients are older each year (mean age +2.5 years per year of the span)"),
        (DriftScenario.RespiratoryWave, "respiratory-wave", "a COVID-19 and influenza wave in the winter around the drift start (incidence x6)"),
        (DriftScenario.GlucoseUnitChange, "glucose-unit-change", "glucose reported in mmol/L (LOINC 14749-6) instead of mg/dL (LOINC 2345-7)"),
        (DriftScenario.Hba1cAssayChange, "hba1c-assay-change", "new HbA1c assay: values +0.4 %, upper reference limit 6.0 % instead of 5.6 %"),
        (DriftScenario.CodingPracticeChange, "coding-practice-change", "Conditions coded in SNOMED CT only (no ICD-10); hypertension coded as essential hypertension"),
    ];

    /// <summary>Every scenario.</summary>
    public static IReadOnlySet<DriftScenario> All { get; } = s_table.Select(t => t.Scenario).ToHashSet();

    /// <summary>The command-line name of a scenario.</summary>
    public static string NameOf(DriftScenario scenario) => s_table.First(t => t.Scenario == scenario).Name;

    /// <summary>One line saying what the scenario changes.</summary>
    public static string Describe(DriftScenario scenario) => s_table.First(t => t.Scenario == scenario).Description;

    /// <summary>
    /// Parses a comma-separated list: scenario names, <c>all</c> or <c>none</c>. Throws <see cref="ArgumentException"/>
    /// naming the unknown entry and the accepted names.
    /// </summary>
    public static IReadOnlySet<DriftScenario> Parse(string text)
    {
        var result = new HashSet<DriftScenario>();
        foreach (var raw in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (raw.Equals("all", StringComparison.OrdinalIgnoreCase))
            {
                result.UnionWith(All);
            }
            else if (!raw.Equals("none", StringComparison.OrdinalIgnoreCase))
            {
                var match = s_table.FirstOrDefault(t => t.Name.Equals(raw, StringComparison.OrdinalIgnoreCase));
                if (match.Name is null)
                {
                    throw new ArgumentException(
                        $"Unknown drift scenario '{raw}'. Accepted: all, none, {string.Join(", ", s_table.Select(t => t.Name))}.");
                }

                result.Add(match.Scenario);
            }
        }

        return result;
    }
}
