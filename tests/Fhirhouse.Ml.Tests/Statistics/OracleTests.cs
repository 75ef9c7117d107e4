using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fhirhouse.Ml.Statistics;

namespace Fhirhouse.Ml.Tests.Statistics;

/// <summary>
/// Every drift statistic and classifier metric against scipy and scikit-learn on the same seeded inputs, computed in
/// the same run by <c>oracle.py</c> under <c>/usr/bin/python3</c> (test.sh installs python3-scipy and python3-sklearn).
/// </summary>
public sealed class OracleTests
{
    private const double Exact = 1e-9;

    private static double[] Normal(Random random, int n, double mean, double sd, int decimals = -1) =>
        [.. Enumerable.Range(0, n).Select(_ =>
        {
            var u = 1 - random.NextDouble();
            var v = random.NextDouble();
            var x = mean + (sd * Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v));
            return decimals < 0 ? x : Math.Round(x, decimals);
        })];

    internal static List<double[]> Oracle(JsonArray cases)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Statistics", "oracle.py");
        using var process = Process.Start(new ProcessStartInfo("/usr/bin/python3", [script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        process.StandardInput.Write(cases.ToJsonString());
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"oracle.py failed (are python3-scipy and python3-sklearn installed?): {error}");
        return JsonSerializer.Deserialize<List<double[]>>(output)!;
    }

    private static JsonArray Values(IEnumerable<double> values) => [.. values.Select(v => (JsonNode?)JsonValue.Create(v))];

    [Fact]
    public void Kolmogorov_Smirnov_matches_scipys_exact_mode_with_equal_and_unequal_sizes_and_ties()
    {
        var random = new Random(20261203);
        var samples = new List<(double[] A, double[] B)>
        {
            (Normal(random, 50, 0, 1), Normal(random, 50, 0, 1)),
            (Normal(random, 200, 0, 1), Normal(random, 200, 0.3, 1)),
            (Normal(random, 100, 0, 1), Normal(random, 37, 0, 1)),
            (Normal(random, 1000, 0, 1), Normal(random, 750, 0.1, 1.2)),
            (Normal(random, 3000, 0, 1, decimals: 1), Normal(random, 2000, 0.05, 1, decimals: 1)),
            (Normal(random, 999, 5, 2, decimals: 0), Normal(random, 1000, 5, 2, decimals: 0)),
            (Normal(random, 10_000, 0, 1), Normal(random, 9_000, 0.02, 1)),
            ([1, 2, 3], [4, 5, 6, 7]),
            ([1, 1, 1], [1, 1]),
        };
        var expected = Oracle([.. samples.Select(s => (JsonNode)new JsonObject { ["kind"] = "ks", ["a"] = Values(s.A), ["b"] = Values(s.B) })]);
        for (var i = 0; i < samples.Count; i++)
        {
            var ours = KolmogorovSmirnov.TwoSample(samples[i].A, samples[i].B);
            Assert.True(Math.Abs(ours.Statistic - expected[i][0]) <= Exact, $"case {i}: D {ours.Statistic} against scipy's {expected[i][0]}");
            Assert.True(Math.Abs(ours.PValue - expected[i][1]) <= Exact, $"case {i}: p {ours.PValue} against scipy's {expected[i][1]}");
        }
    }

    [Fact]
    public void Chi_square_Wasserstein_Jensen_Shannon_and_PSI_match_scipy_and_numpy()
    {
        var random = new Random(7);
        var cases = new JsonArray();
        var ours = new List<double[]>();
        for (var k = 0; k < 6; k++)
        {
            var categories = 2 + k;
            var observed = Enumerable.Range(0, categories).Select(_ => (double)random.Next(5, 500)).ToArray();
            var total = observed.Sum();
            var weights = Enumerable.Range(0, categories).Select(_ => random.NextDouble() + 0.1).ToArray();
            var expected = weights.Select(w => w / weights.Sum() * total).ToArray();
            cases.Add(new JsonObject { ["kind"] = "chi2", ["observed"] = Values(observed), ["expected"] = Values(expected) });
            var chi = Distances.ChiSquare(observed, expected);
            ours.Add([chi.Statistic, chi.PValue]);
            cases.Add(new JsonObject { ["kind"] = "js", ["p"] = Values(observed), ["q"] = Values(expected) });
            ours.Add([Distances.JensenShannon(observed, expected)]);

            var a = Normal(random, 500 + (k * 300), 0, 1, decimals: k % 2 == 0 ? 2 : -1);
            var b = Normal(random, 400 + (k * 200), k * 0.1, 1 + (k * 0.1), decimals: k % 2 == 0 ? 2 : -1);
            cases.Add(new JsonObject { ["kind"] = "wasserstein", ["a"] = Values(a), ["b"] = Values(b) });
            ours.Add([Distances.Wasserstein(a, b)]);
            cases.Add(new JsonObject { ["kind"] = "psi", ["a"] = Values(a), ["b"] = Values(b), ["bins"] = 10 + k });
            ours.Add([PopulationStability.Numeric(a, b, 10 + k)]);
        }

        var expectedAll = Oracle(cases);
        for (var i = 0; i < ours.Count; i++)
        {
            for (var j = 0; j < ours[i].Length; j++)
            {
                Assert.True(Math.Abs(ours[i][j] - expectedAll[i][j]) <= Exact, $"{cases[i]!["kind"]} (case {i}): {ours[i][j]} against {expectedAll[i][j]}");
            }
        }
    }

    [Fact]
    public void Auroc_average_precision_and_Brier_match_scikit_learn_with_ties()
    {
        var random = new Random(11);
        var cases = new JsonArray();
        var ours = new List<double[]>();
        foreach (var (n, decimals) in new[] { (50, -1), (500, 2), (5000, 1), (200, 0) })
        {
            var labels = Enumerable.Range(0, n).Select(_ => random.NextDouble() < 0.3).ToArray();
            var scores = labels.Select(l => Math.Clamp((l ? 0.6 : 0.4) + ((random.NextDouble() - 0.5) * 0.8), 0, 1)).Select(s => decimals < 0 ? s : Math.Round(s, decimals)).ToArray();
            cases.Add(new JsonObject { ["kind"] = "classifier", ["labels"] = new JsonArray([.. labels.Select(l => (JsonNode?)JsonValue.Create(l ? 1 : 0))]), ["scores"] = Values(scores) });
            ours.Add([ClassifierMetrics.Auroc(scores, labels), ClassifierMetrics.AveragePrecision(scores, labels), ClassifierMetrics.Brier(scores, labels)]);
        }

        var expected = Oracle(cases);
        for (var i = 0; i < ours.Count; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                Assert.True(Math.Abs(ours[i][j] - expected[i][j]) <= Exact, $"case {i}, metric {j}: {ours[i][j]} against scikit-learn's {expected[i][j]}");
            }
        }
    }

    [Fact]
    public void The_calibration_curve_matches_scikit_learn_with_probabilities_on_the_edges()
    {
        var random = new Random(13);
        var cases = new JsonArray();
        var ours = new List<double[]>();
        foreach (var (n, bins, decimals) in new[] { (300, 10, 1), (1000, 5, 3), (80, 7, -1) })
        {
            var scores = Enumerable.Range(0, n).Select(_ => decimals < 0 ? random.NextDouble() : Math.Round(random.NextDouble(), decimals)).ToArray();
            var labels = scores.Select(s => random.NextDouble() < s).ToArray();
            cases.Add(new JsonObject { ["kind"] = "calibration", ["bins"] = bins, ["labels"] = new JsonArray([.. labels.Select(l => (JsonNode?)JsonValue.Create(l ? 1 : 0))]), ["scores"] = Values(scores) });
            ours.Add([.. ClassifierMetrics.CalibrationCurve(scores, labels, bins).SelectMany(b => new[] { b.Observed, b.Predicted })]);
        }

        var expected = Oracle(cases);
        for (var i = 0; i < ours.Count; i++)
        {
            Assert.Equal(expected[i].Length, ours[i].Length);
            for (var j = 0; j < ours[i].Length; j++)
            {
                Assert.True(Math.Abs(ours[i][j] - expected[i][j]) <= Exact, $"case {i}, value {j}: {ours[i][j]} against scikit-learn's {expected[i][j]}");
            }
        }
    }

    [Fact]
    public void Bad_inputs_are_refused_with_what_is_wrong()
    {
        Assert.Contains("non-empty", Assert.Throws<ArgumentException>(() => KolmogorovSmirnov.TwoSample([], [1.0])).Message, StringComparison.Ordinal);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => KolmogorovSmirnov.TwoSample([double.NaN], [1.0])).Message, StringComparison.Ordinal);
        Assert.Contains("Wasserstein", Assert.Throws<ArgumentException>(() => KolmogorovSmirnov.TwoSample(new double[10_001], [1.0])).Message, StringComparison.Ordinal);
        Assert.Contains("category 1", Assert.Throws<ArgumentException>(() => Distances.ChiSquare([1, 2], [1, 0])).Message, StringComparison.Ordinal);
        Assert.True(double.IsNaN(ClassifierMetrics.Auroc([0.1, 0.9], [true, true])));
    }
}
