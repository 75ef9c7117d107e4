using Fhirhouse.Ml.Statistics;

namespace Fhirhouse.Ml.Tests.Statistics;

public sealed class DriftTestsTests
{
    // Seeds far apart: .NET's seeded generator gives correlated streams for neighbouring seeds (1 and 2 gave p = 0.009
    // for two samples of one normal distribution).
    private static Random Seeded(int seed) => new(unchecked(seed * 1_000_003 + 20261203));

    private static double[] Normal(int seed, int n, double mean, double sd)
    {
        var random = Seeded(seed);
        return [.. Enumerable.Range(0, n).Select(_ => mean + (sd * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())))];
    }

    private static string?[] Categories(int seed, int n, params (string Value, double Share)[] shares)
    {
        var random = Seeded(seed);
        return [.. Enumerable.Range(0, n).Select(_ =>
        {
            var u = random.NextDouble();
            foreach (var (value, share) in shares)
            {
                if ((u -= share) < 0)
                {
                    return value;
                }
            }

            return shares[^1].Value;
        })];
    }

    [Fact]
    public void A_small_reference_is_tested_by_Kolmogorov_Smirnov_and_a_large_one_by_the_normalised_Wasserstein_distance()
    {
        var small = DriftTests.Numeric("age", Normal(1, 800, 60, 10), Normal(2, 800, 60, 10));
        Assert.True(small.Method == DriftMethod.KolmogorovSmirnov && !small.Drifted, $"{small.Method} p={small.Score}");
        var shifted = DriftTests.Numeric("age", Normal(1, 800, 60, 10), Normal(2, 800, 64, 10));
        Assert.Equal((DriftMethod.KolmogorovSmirnov, true), (shifted.Method, shifted.Drifted));

        var large = DriftTests.Numeric("hba1c", Normal(3, 5000, 6.5, 1), Normal(4, 20_000, 6.52, 1));
        Assert.Equal((DriftMethod.NormalisedWasserstein, false), (large.Method, large.Drifted));
        var moved = DriftTests.Numeric("hba1c", Normal(3, 5000, 6.5, 1), Normal(4, 20_000, 6.8, 1));
        Assert.Equal((DriftMethod.NormalisedWasserstein, true), (moved.Method, moved.Drifted));
        Assert.InRange(moved.Score, 0.2, 0.4);
    }

    [Fact]
    public void A_small_reference_against_a_current_window_too_large_for_the_exact_test_falls_back_to_the_distance()
    {
        var result = DriftTests.Numeric("x", Normal(5, 500, 0, 1), Normal(6, 12_000, 0, 1));
        Assert.Equal(DriftMethod.NormalisedWasserstein, result.Method);
    }

    [Fact]
    public void Categorical_features_use_chi_square_then_Jensen_Shannon_and_a_category_never_seen_is_drift()
    {
        var same = DriftTests.Categorical("sex", Categories(1, 900, ("F", 0.5), ("M", 0.5)), Categories(2, 900, ("F", 0.5), ("M", 0.5)));
        Assert.Equal((DriftMethod.ChiSquare, false), (same.Method, same.Drifted));
        var changed = DriftTests.Categorical("sex", Categories(1, 900, ("F", 0.5), ("M", 0.5)), Categories(2, 900, ("F", 0.65), ("M", 0.35)));
        Assert.True(changed.Drifted);
        var newCategory = DriftTests.Categorical("site", Categories(1, 500, ("a", 0.5), ("b", 0.5)), [.. Categories(2, 500, ("a", 0.5), ("b", 0.5)), "c"]);
        Assert.Equal((0.0, true), (newCategory.Score, newCategory.Drifted));

        var large = DriftTests.Categorical("ward", Categories(3, 5000, ("a", 0.2), ("b", 0.3), ("c", 0.5)), Categories(4, 5000, ("a", 0.5), ("b", 0.3), ("c", 0.2)));
        Assert.Equal((DriftMethod.JensenShannon, true), (large.Method, large.Drifted));
    }

    [Fact]
    public void The_dataset_drifts_when_half_of_its_features_do_and_the_thresholds_can_be_changed()
    {
        var features = new[]
        {
            new FeatureDrift("a", DriftMethod.KolmogorovSmirnov, 0.01, 0.05, true),
            new FeatureDrift("b", DriftMethod.KolmogorovSmirnov, 0.30, 0.05, false),
            new FeatureDrift("c", DriftMethod.JensenShannon, 0.15, 0.1, true),
            new FeatureDrift("d", DriftMethod.JensenShannon, 0.02, 0.1, false),
        };
        Assert.Equal((true, 0.5), (DriftTests.Dataset(features).Drifted, DriftTests.Dataset(features).Share));
        Assert.False(DriftTests.Dataset(features, new DriftOptions { DatasetShare = 0.75 }).Drifted);
        Assert.False(DriftTests.Dataset([]).Drifted);

        var psi = DriftTests.Numeric("x", Normal(1, 800, 0, 1), Normal(2, 800, 0.5, 1), new DriftOptions { Numeric = DriftMethod.PopulationStability });
        Assert.Equal((DriftMethod.PopulationStability, true), (psi.Method, psi.Drifted));
        Assert.Contains("no value in the current window", Assert.Throws<ArgumentException>(() => DriftTests.Numeric("x", [1.0], [double.NaN])).Message, StringComparison.Ordinal);
    }
}
