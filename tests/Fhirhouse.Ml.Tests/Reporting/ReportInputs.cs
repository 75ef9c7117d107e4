using Fhirhouse.Ml.Evaluation;
using Fhirhouse.Ml.Features;
using Fhirhouse.Ml.Monitoring;
using Fhirhouse.Ml.Pipelines;
using Fhirhouse.Ml.Registry;
using Fhirhouse.Ml.Reporting;
using Fhirhouse.Ml.Statistics;
using Fhirhouse.Ml.Training;

namespace Fhirhouse.Ml.Tests.Reporting;

/// <summary>Hand-built report inputs: monthly windows over three features (age and sex drift late), one window skipped, alerts and decisions.</summary>
internal static class ReportInputs
{
    public const string SkipReason = "fewer than 50 rows (12)";
    public const string PromotionReason = "AUROC 0.80 beats the champion's 0.74 on recent rows; calibration error 0.04 < 0.1";

    public static readonly DateTimeOffset Start = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static IReadOnlyList<FeatureDefinition> Features(int count = 3) =>
    [
        new("age", "patient", FeatureAggregate.Value, "age", null, null, false),
        new("sex", "patient", FeatureAggregate.Value, "gender", null, null, true),
        .. Enumerable.Range(0, count - 2).Select(i => new FeatureDefinition($"lab_{i}", "observation", FeatureAggregate.Last, "value", null, 365, false)),
    ];

    public static ModelVersion Version(long version, DateTimeOffset created, double auroc) => new(
        "readmission", version, created, "pipeline", version, $"spec{version:D2}" + new string('a', 60), "features" + new string('b', 56), "ml.features_readmission", 10 + version,
        [new SourceVersion("views.patient", 3), new SourceVersion("views.encounter", 5)], "0.1.0",
        new TrainingSpec("fasttree", new DateTimeOffset(2023, 1, 1, 0, 0, 0, TimeSpan.Zero), created.AddDays(-1), 0.25, 7, 100, 20, 0.1, 10),
        1500, 1200, 500,
        new Evaluation.Evaluation(new Performance(500, 60, auroc, 0.41, 0.09, 0.03, []), new Dictionary<string, Performance>()),
        new GateResult([], ["AUROC >= 0.6"]), new FeatureEncoding(["age", "sex"], [null, ["female", "male"]]),
        $"jobs/ml/models/readmission/{version}.zip", new string('c', 64));

    /// <summary>
    /// <paramref name="windows"/> monthly windows from 2024-01; the third skipped; from the fourth on, age (KS) drifts,
    /// and in the last sex (chi-square) too; estimated AUROC falls; labels stop two windows before the end.
    /// </summary>
    public static MlReportInput Build(int windows = 5, int features = 3, int rowsAWindow = 40)
    {
        var random = new Random(16);
        var definitions = Features(features);
        object?[] Row(double ageShift, double maleShare) =>
        [
            50 + ageShift + 10 * Normal(random),
            random.NextDouble() < maleShare ? "male" : random.NextDouble() < 0.05 ? null : "female",
            .. Enumerable.Range(0, features - 2).Select(_ => (object?)(random.NextDouble() < 0.1 ? double.NaN : 5 + Normal(random))),
        ];

        var reference = Enumerable.Range(0, 300).Select(i => new FeatureRow($"r{i}", new DateTimeOffset(2023, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(i), null, Row(0, 0.5), i % 5 == 0 ? 1 : 0)).ToList();
        var referenceScores = reference.Select(_ => 0.1 + 0.2 * random.NextDouble()).ToList();
        var current = new List<FeatureRow>();
        var results = new List<WindowResult>();
        for (var w = 0; w < windows; w++)
        {
            var start = Start.AddMonths(w);
            var late = w >= 3;
            var last = w == windows - 1;
            for (var i = 0; i < rowsAWindow; i++)
            {
                current.Add(new FeatureRow($"c{w}-{i}", start.AddHours(i * 7), null, Row(late ? 12 : 0, last ? 0.9 : 0.5), null));
            }

            if (w == 2)
            {
                results.Add(new WindowResult(start, start.AddMonths(1), 12, 0, 0, null, null, null, null, null, null, null, 0.2, SkipReason));
                continue;
            }

            var drifts = definitions.Select(f => f.Name switch
            {
                "age" => new FeatureDrift("age", DriftMethod.KolmogorovSmirnov, late ? 1e-6 : 0.4, 0.05, late),
                "sex" => new FeatureDrift("sex", DriftMethod.ChiSquare, last ? 0.0 : 0.6, 0.05, last),
                var name => new FeatureDrift(name, DriftMethod.KolmogorovSmirnov, 0.3 + 0.01 * w, 0.05, false),
            }).ToList();
            var data = DriftTests.Dataset(drifts);
            var labelled = w < windows - 2 ? rowsAWindow : 0;
            results.Add(new WindowResult(start, start.AddMonths(1), rowsAWindow, labelled, labelled / 5,
                data, new FeatureDrift("score", DriftMethod.KolmogorovSmirnov, late ? 0.001 : 0.5, 0.05, late), late ? 0.71 : 0.52, late,
                0.82 - 0.02 * w, labelled > 0 ? 0.81 - 0.02 * w : null, labelled > 0 ? 0.1 : null, late ? 0.26 : 0.2, null));
        }

        var currentScores = current.Select(_ => 0.2).ToList();
        var v1 = Version(1, new DateTimeOffset(2023, 12, 1, 0, 0, 0, TimeSpan.Zero), 0.82);
        var v2 = Version(2, Start.AddMonths(windows).AddDays(-3), 0.80);
        var end = Start.AddMonths(windows);
        return new MlReportInput(
            "readmission", v1,
            new MonitorInput(definitions, reference, referenceScores, current, currentScores),
            new MonitoringReport(0.82, reference.Count, results),
            windows > 3
                ? [new Alert(Start.AddMonths(windows - 1), "data-drift", "age and sex drifted (2 of 3 features >= 0.5)", ["age", "sex"]),
                   new Alert(Start.AddMonths(windows - 1), "estimated-performance", "estimated AUROC 0.74 < 0.77 (reference 0.82 - 0.05)", [])]
                : [],
            [
                new ModelDecision(new DateTimeOffset(2023, 12, 1, 0, 0, 0, TimeSpan.Zero), "readmission", 1, ModelActions.Registered, null, null, ["AUROC 0.82 >= 0.6"], "pipeline"),
                new ModelDecision(new DateTimeOffset(2023, 12, 1, 0, 5, 0, TimeSpan.Zero), "readmission", 1, ModelActions.Promoted, "champion", null, ["first model"], "alice"),
                new ModelDecision(end.AddDays(-3), "readmission", 2, ModelActions.Registered, null, null, ["AUROC 0.80 >= 0.6"], "pipeline"),
                new ModelDecision(end, "readmission", 2, ModelActions.Promoted, "champion", 1, [PromotionReason, "retrained after data drift"], "bob"),
            ],
            [v1, v2],
            end.AddDays(2));
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
