namespace Fhirhouse.Ml.Statistics;

/// <summary>The test a feature's drift is decided by.</summary>
public enum DriftMethod
{
    /// <summary>Two-sample Kolmogorov-Smirnov: drift when p &lt; the p-value threshold.</summary>
    KolmogorovSmirnov,

    /// <summary>Wasserstein distance over the reference's standard deviation: drift when &gt;= the distance threshold.</summary>
    NormalisedWasserstein,

    /// <summary>Chi-square of the current counts against the reference's shares: drift when p &lt; the p-value threshold.</summary>
    ChiSquare,

    /// <summary>Jensen-Shannon distance (bits) of the category shares: drift when &gt;= the distance threshold.</summary>
    JensenShannon,

    /// <summary>Population stability index: drift when &gt;= the PSI threshold.</summary>
    PopulationStability,
}

/// <summary>What a <see cref="DriftMethod"/> scores.</summary>
public static class DriftMethods
{
    /// <summary>True for the tests whose score is a p-value (drift below the threshold); the others score a distance (drift at or above it).</summary>
    public static bool IsPValue(this DriftMethod method) => method is DriftMethod.KolmogorovSmirnov or DriftMethod.ChiSquare;
}

/// <summary>
/// How drift is decided. The defaults are Evidently's: for a reference of at most <see cref="SmallReference"/> rows,
/// Kolmogorov-Smirnov for a numeric feature and chi-square for a categorical one, drift at p &lt; 0.05; above it, the
/// normalised Wasserstein distance and the Jensen-Shannon distance, drift at 0.1; the dataset drifts when at least
/// half of its features do.
/// </summary>
public sealed record DriftOptions
{
    public int SmallReference { get; init; } = 1000;

    public double PValue { get; init; } = 0.05;

    public double Distance { get; init; } = 0.1;

    public double PopulationStabilityThreshold { get; init; } = 0.2;

    public double DatasetShare { get; init; } = 0.5;

    /// <summary>The test of every numeric feature, instead of the choice by reference size.</summary>
    public DriftMethod? Numeric { get; init; }

    /// <summary>The test of every categorical feature, instead of the choice by reference size.</summary>
    public DriftMethod? Categorical { get; init; }
}

/// <summary>One feature's drift: the test used, its score (a p-value or a distance), the threshold, the decision.</summary>
public sealed record FeatureDrift(string Feature, DriftMethod Method, double Score, double Threshold, bool Drifted);

/// <summary>A window's drift over its features: whether the share of drifted features reaches the threshold, and each feature's result.</summary>
public sealed record DatasetDrift(bool Drifted, double Share, IReadOnlyList<FeatureDrift> Features);

/// <summary>The per-feature and dataset drift decisions, with the tests of <see cref="Distances"/>, <see cref="KolmogorovSmirnov"/> and <see cref="PopulationStability"/>.</summary>
public static class DriftTests
{
    /// <summary>A numeric feature's drift between a reference and a current sample (NaN values, missing, are left out).</summary>
    public static FeatureDrift Numeric(string feature, ReadOnlySpan<double> reference, ReadOnlySpan<double> current, DriftOptions? options = null)
    {
        options ??= new DriftOptions();
        var r = Present(reference);
        var c = Present(current);
        if (r.Length == 0 || c.Length == 0)
        {
            throw new ArgumentException($"Feature '{feature}': no value in the {(r.Length == 0 ? "reference" : "current")} window to compare.");
        }

        var method = options.Numeric ?? (r.Length <= options.SmallReference ? DriftMethod.KolmogorovSmirnov : DriftMethod.NormalisedWasserstein);
        if (method == DriftMethod.KolmogorovSmirnov && Math.Max(r.Length, c.Length) > KolmogorovSmirnov.MaxExact)
        {
            // The exact test stops at 10,000 values a sample; the distance does not.
            method = DriftMethod.NormalisedWasserstein;
        }

        return method switch
        {
            DriftMethod.KolmogorovSmirnov => ByPValue(feature, method, KolmogorovSmirnov.TwoSample(r, c).PValue, options),
            DriftMethod.NormalisedWasserstein => ByDistance(feature, method, Distances.NormalisedWasserstein(r, c), options.Distance),
            DriftMethod.PopulationStability => ByDistance(feature, method, PopulationStability.Numeric(r, c), options.PopulationStabilityThreshold),
            _ => throw new ArgumentException($"Feature '{feature}': {method} is not a test of a numeric feature."),
        };
    }

    /// <summary>A categorical feature's drift between a reference and a current sample (null is a category of its own).</summary>
    public static FeatureDrift Categorical(string feature, IReadOnlyList<string?> reference, IReadOnlyList<string?> current, DriftOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        options ??= new DriftOptions();
        if (reference.Count == 0 || current.Count == 0)
        {
            throw new ArgumentException($"Feature '{feature}': no value in the {(reference.Count == 0 ? "reference" : "current")} window to compare.");
        }

        var method = options.Categorical ?? (reference.Count <= options.SmallReference ? DriftMethod.ChiSquare : DriftMethod.JensenShannon);
        var categories = reference.Concat(current).Select(Key).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var index = categories.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
        var r = new double[categories.Count];
        var c = new double[categories.Count];
        foreach (var v in reference)
        {
            r[index[Key(v)]]++;
        }

        foreach (var v in current)
        {
            c[index[Key(v)]]++;
        }

        switch (method)
        {
            case DriftMethod.ChiSquare:
                if (categories.Count < 2)
                {
                    return new FeatureDrift(feature, method, 1.0, options.PValue, false);
                }

                // A category the reference never had cannot be expected: its appearance is drift.
                if (c.Where((count, i) => r[i] == 0 && count > 0).Any())
                {
                    return new FeatureDrift(feature, method, 0.0, options.PValue, true);
                }

                var expected = r.Select(x => x / reference.Count * current.Count).ToArray();
                var kept = Enumerable.Range(0, r.Length).Where(i => r[i] > 0).ToArray();
                return kept.Length < 2
                    ? new FeatureDrift(feature, method, 1.0, options.PValue, false)
                    : ByPValue(feature, method, Distances.ChiSquare([.. kept.Select(i => c[i])], [.. kept.Select(i => expected[i])]).PValue, options);
            case DriftMethod.JensenShannon:
                return ByDistance(feature, method, Distances.JensenShannon(r, c), options.Distance);
            case DriftMethod.PopulationStability:
                return ByDistance(feature, method, PopulationStability.Categorical(reference, current), options.PopulationStabilityThreshold);
            default:
                throw new ArgumentException($"Feature '{feature}': {method} is not a test of a categorical feature.");
        }
    }

    /// <summary>The dataset's drift: drifted when the share of drifted features is at least <see cref="DriftOptions.DatasetShare"/>.</summary>
    public static DatasetDrift Dataset(IReadOnlyList<FeatureDrift> features, DriftOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        options ??= new DriftOptions();
        var share = features.Count == 0 ? 0 : (double)features.Count(f => f.Drifted) / features.Count;
        return new DatasetDrift(features.Count > 0 && share >= options.DatasetShare, share, features);
    }

    private static FeatureDrift ByPValue(string feature, DriftMethod method, double p, DriftOptions options) =>
        new(feature, method, p, options.PValue, p < options.PValue);

    private static FeatureDrift ByDistance(string feature, DriftMethod method, double distance, double threshold) =>
        new(feature, method, distance, threshold, distance >= threshold);

    private static string Key(string? value) => value ?? "\0null";

    private static double[] Present(ReadOnlySpan<double> values)
    {
        var present = new List<double>(values.Length);
        foreach (var v in values)
        {
            if (!double.IsNaN(v))
            {
                present.Add(v);
            }
        }

        return [.. present];
    }
}
