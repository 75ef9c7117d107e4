using System.Text.Json.Nodes;
using Fhirhouse.Ml.Monitoring;
using Fhirhouse.Ml.Statistics;
using Fhirhouse.Ml.Tests.Statistics;

namespace Fhirhouse.Ml.Tests.Monitoring;

public sealed class CalibrationTests
{
    private const double Exact = 1e-9;

    [Fact]
    public void The_isotonic_calibrator_matches_scikit_learn_with_tied_scores_and_points_outside_the_fitted_range()
    {
        var random = new Random(17);
        var cases = new JsonArray();
        var ours = new List<double[]>();
        foreach (var (n, decimals) in new[] { (40, 1), (500, 2), (3000, 3), (200, -1), (25, 0) })
        {
            var scores = Enumerable.Range(0, n).Select(_ => random.NextDouble()).Select(s => decimals < 0 ? s : Math.Round(s, decimals)).ToArray();
            var labels = scores.Select(s => random.NextDouble() < 0.1 + (0.8 * s)).ToArray();
            // Inside, on the fitted points, between them and outside the range on both sides.
            var at = new[] { -0.5, 0, 1, 1.5 }.Concat(scores.Take(20)).Concat(Enumerable.Range(0, 50).Select(_ => (random.NextDouble() * 1.2) - 0.1)).ToArray();
            cases.Add(new JsonObject
            {
                ["kind"] = "isotonic",
                ["scores"] = new JsonArray([.. scores.Select(s => (JsonNode?)JsonValue.Create(s))]),
                ["labels"] = new JsonArray([.. labels.Select(l => (JsonNode?)JsonValue.Create(l ? 1 : 0))]),
                ["at"] = new JsonArray([.. at.Select(s => (JsonNode?)JsonValue.Create(s))]),
            });
            var calibrator = IsotonicCalibrator.Fit(scores, labels);
            ours.Add([.. at.Select(calibrator.Calibrate)]);
        }

        var expected = OracleTests.Oracle(cases);
        for (var i = 0; i < ours.Count; i++)
        {
            Assert.Equal(expected[i].Length, ours[i].Length);
            for (var j = 0; j < ours[i].Length; j++)
            {
                Assert.True(Math.Abs(ours[i][j] - expected[i][j]) <= Exact, $"case {i}, point {j}: {ours[i][j]} against scikit-learn's {expected[i][j]}");
            }
        }
    }

    [Fact]
    public void The_isotonic_fit_is_nondecreasing_and_pools_a_decreasing_run_into_its_mean()
    {
        var calibrator = IsotonicCalibrator.Fit([0.1, 0.2, 0.3, 0.4], [false, true, false, true]);
        Assert.Equal(0.0, calibrator.Calibrate(0.1));
        Assert.Equal(0.5, calibrator.Calibrate(0.2));
        Assert.Equal(0.5, calibrator.Calibrate(0.3));
        Assert.Equal(1.0, calibrator.Calibrate(0.4));
        Assert.Equal(0.25, calibrator.Calibrate(0.15), 12);
        Assert.Equal(1.0, calibrator.Calibrate(7));
    }

    [Fact]
    public void The_estimated_AUROC_with_certain_outcomes_is_the_AUROC_itself_ties_included()
    {
        var random = new Random(5);
        foreach (var decimals in new[] { 1, 2, -1 })
        {
            var labels = Enumerable.Range(0, 800).Select(_ => random.NextDouble() < 0.3).ToArray();
            var scores = labels.Select(l => (l ? 0.6 : 0.4) + ((random.NextDouble() - 0.5) * 0.8)).Select(s => decimals < 0 ? s : Math.Round(s, decimals)).ToArray();
            var certain = labels.Select(l => l ? 1.0 : 0.0).ToArray();
            Assert.Equal(ClassifierMetrics.Auroc(scores, labels), PerformanceEstimate.Auroc(scores, certain), 12);
        }
    }

    [Fact]
    public void The_estimated_AUROC_of_uninformative_probabilities_is_one_half_and_of_no_expected_negative_is_undefined()
    {
        Assert.Equal(0.5, PerformanceEstimate.Auroc([0.1, 0.5, 0.9, 0.3], [0.3, 0.3, 0.3, 0.3]), 12);
        Assert.True(double.IsNaN(PerformanceEstimate.Auroc([0.1, 0.5], [1.0, 1.0])));
    }

    [Fact]
    public void The_reference_s_prepared_test_decides_exactly_as_the_drift_tests_do()
    {
        var random = new Random(3);
        foreach (var (n, m) in new[] { (800, 300), (5000, 2000), (20_000, 15_000), (1500, 50) })
        {
            var reference = Enumerable.Range(0, n).Select(i => i % 17 == 0 ? double.NaN : Math.Round(Simulator.Gaussian(random), 2)).ToArray();
            var current = Enumerable.Range(0, m).Select(i => i % 13 == 0 ? double.NaN : Math.Round(0.1 + Simulator.Gaussian(random), 2)).ToArray();
            var prepared = new NumericReference(reference);
            foreach (var options in new[] { new DriftOptions(), new DriftOptions { Numeric = DriftMethod.PopulationStability } })
            {
                Assert.Equal(DriftTests.Numeric("x", reference, current, options), prepared.Test("x", current, options));
            }
        }
    }
}
