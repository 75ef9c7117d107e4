using Fhirhouse.Ml.Features;
using Fhirhouse.Ml.Pipelines;
using Fhirhouse.Ml.Tests.Features;

namespace Fhirhouse.Ml.Tests.Training;

/// <summary>
/// A small lake where diabetes onset within a year follows the last HbA1c (and age) for women, and is a coin toss for
/// men when <c>menAtRandom</c>: a model then ranks women well and men no better than chance.
/// </summary>
internal static class TrainingLake
{
    public static async Task<FeatureLake> WriteAsync(string folder, int patients, int seed, bool menAtRandom)
    {
        var lake = new FeatureLake(folder);
        var random = new Random(seed);
        var start = new DateTimeOffset(2022, 1, 1, 0, 0, 0, TimeSpan.Zero);
        static string At(DateTimeOffset t) => t.ToString("yyyy-MM-ddTHH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var people = new List<object?[]>();
        var encounters = new List<object?[]>();
        var observations = new List<object?[]>();
        var conditions = new List<object?[]>();
        for (var p = 0; p < patients; p++)
        {
            var id = $"p{p:D5}";
            var female = random.Next(2) == 0;
            var age = 30 + random.Next(50);
            people.Add([id, female ? "female" : "male", $"{2022 - age}-06-01"]);
            var visit = start.AddDays(random.Next(330));
            encounters.Add([$"e{p:D5}", id, At(visit)]);
            var hba1c = 5 + (random.NextDouble() * 3);
            observations.Add([id, "4548-4", At(visit.AddDays(-random.Next(1, 60))), Math.Round(hba1c, 2)]);
            var risk = female || !menAtRandom ? 1 / (1 + Math.Exp(-((hba1c - 6.6) * 3) - ((age - 55) * 0.03))) : 0.3;
            if (random.NextDouble() < risk)
            {
                conditions.Add([id, "E11.9", At(visit.AddDays(random.Next(10, 360)))]);
            }
        }

        observations.Add(["p00000", "4548-4", "2024-06-01T00:00:00Z", 6.0]);   // the lake's data run to mid-2024: every label is known
        await lake.WriteAsync("patient", FeatureLake.PatientSchema, people);
        await lake.WriteAsync("encounter", FeatureLake.EncounterSchema, encounters);
        await lake.WriteAsync("observation", FeatureLake.ObservationSchema, observations);
        await lake.WriteAsync("condition", FeatureLake.ConditionSchema, conditions);
        return lake;
    }

    /// <summary>The test spec with training over 2022, small trees, and the given subgroup bound.</summary>
    public static PipelineSpec Spec(double maxSubgroupDrop = 0.3) => PipelineSpec.Parse(FeatureLake.SpecJson
        .Replace("\"training\": { \"from\": \"2022-01-01\", \"to\": \"2023-01-01\" }", "\"training\": { \"from\": \"2022-01-01\", \"to\": \"2023-01-01\", \"trees\": 40, \"leaves\": 8, \"seed\": 7 }", StringComparison.Ordinal)
        .Replace("\"gates\": {}", $"\"gates\": {{ \"min_auroc\": 0.65, \"max_calibration_error\": 0.2, \"max_subgroup_auroc_drop\": {maxSubgroupDrop.ToString(System.Globalization.CultureInfo.InvariantCulture)}, \"min_subgroup_rows\": 40 }}", StringComparison.Ordinal));
}
