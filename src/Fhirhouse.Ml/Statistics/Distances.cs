namespace Fhirhouse.Ml.Statistics;

/// <summary>
/// The drift tests and distances of the monitors, each computed as the library practitioners check it against:
/// scipy's <c>chisquare</c>, <c>wasserstein_distance</c> and <c>jensenshannon</c>, and the population stability index
/// with Evidently's binning (see <see cref="PopulationStability"/>).
/// </summary>
public static class Distances
{
    /// <summary>
    /// Pearson's chi-square goodness-of-fit test of observed counts against expected ones (scipy <c>chisquare</c>): the
    /// statistic sum((o - e)^2 / e) and its p-value from the chi-square distribution with k - 1 degrees of freedom.
    /// </summary>
    /// <exception cref="ArgumentException">The two have different lengths, fewer than two categories, or an expected count that is not positive.</exception>
    public static TestResult ChiSquare(ReadOnlySpan<double> observed, ReadOnlySpan<double> expected)
    {
        if (observed.Length != expected.Length || observed.Length < 2)
        {
            throw new ArgumentException($"The chi-square test needs observed and expected counts of the same two or more categories ({observed.Length} and {expected.Length} given).");
        }

        var statistic = 0.0;
        for (var i = 0; i < observed.Length; i++)
        {
            if (!(expected[i] > 0))
            {
                throw new ArgumentException($"The chi-square test needs every expected count positive (category {i} has {expected[i]}).");
            }

            var difference = observed[i] - expected[i];
            statistic += difference * difference / expected[i];
        }

        var p = MathNet.Numerics.SpecialFunctions.GammaUpperRegularized((observed.Length - 1) / 2.0, statistic / 2.0);
        return new TestResult(statistic, p);
    }

    /// <summary>
    /// The first Wasserstein distance between two samples (scipy <c>wasserstein_distance</c>): the area between their
    /// empirical distribution functions.
    /// </summary>
    public static double Wasserstein(ReadOnlySpan<double> first, ReadOnlySpan<double> second)
    {
        if (first.IsEmpty || second.IsEmpty)
        {
            throw new ArgumentException("The Wasserstein distance needs two non-empty samples.");
        }

        var a = first.ToArray();
        var b = second.ToArray();
        Array.Sort(a);
        Array.Sort(b);
        return WassersteinOfSorted(a, b);
    }

    /// <summary>The Wasserstein distance of two non-empty samples already in ascending order.</summary>
    internal static double WassersteinOfSorted(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var (i, j) = (0, 0);
        var distance = 0.0;
        var previous = Math.Min(a[0], b[0]);
        while (i < a.Length || j < b.Length)
        {
            var x = j >= b.Length || (i < a.Length && a[i] <= b[j]) ? a[i] : b[j];
            distance += Math.Abs(((double)i / a.Length) - ((double)j / b.Length)) * (x - previous);
            while (i < a.Length && a[i] <= x)
            {
                i++;
            }

            while (j < b.Length && b[j] <= x)
            {
                j++;
            }

            previous = x;
        }

        return distance;
    }

    /// <summary>
    /// The Wasserstein distance divided by the first sample's standard deviation (population, as numpy's <c>std</c>):
    /// Evidently's normalised Wasserstein distance, which it compares with 0.1. Zero spread gives the raw distance when
    /// it is zero, else infinity.
    /// </summary>
    public static double NormalisedWasserstein(ReadOnlySpan<double> reference, ReadOnlySpan<double> current)
    {
        var distance = Wasserstein(reference, current);
        var mean = 0.0;
        foreach (var x in reference)
        {
            mean += x;
        }

        mean /= reference.Length;
        var variance = 0.0;
        foreach (var x in reference)
        {
            variance += (x - mean) * (x - mean);
        }

        var sd = Math.Sqrt(variance / reference.Length);
        return sd > 0 ? distance / sd : distance == 0 ? 0 : double.PositiveInfinity;
    }

    /// <summary>
    /// The Jensen-Shannon distance between two distributions (scipy <c>jensenshannon</c> with <c>base=2</c>, as
    /// Evidently uses it): both normalised to sum 1, then sqrt((KL(p||m) + KL(q||m)) / 2) with m their mean, in bits.
    /// </summary>
    public static double JensenShannon(ReadOnlySpan<double> p, ReadOnlySpan<double> q)
    {
        if (p.Length != q.Length || p.IsEmpty)
        {
            throw new ArgumentException($"The Jensen-Shannon distance needs two distributions over the same categories ({p.Length} and {q.Length} given).");
        }

        double sp = 0, sq = 0;
        for (var i = 0; i < p.Length; i++)
        {
            if (p[i] < 0 || q[i] < 0)
            {
                throw new ArgumentException($"A distribution holds a negative share (category {i}).");
            }

            sp += p[i];
            sq += q[i];
        }

        if (!(sp > 0) || !(sq > 0))
        {
            throw new ArgumentException("The Jensen-Shannon distance needs two distributions with some mass.");
        }

        var divergence = 0.0;
        for (var i = 0; i < p.Length; i++)
        {
            var (pi, qi) = (p[i] / sp, q[i] / sq);
            var mi = (pi + qi) / 2;
            divergence += RelativeEntropy(pi, mi) + RelativeEntropy(qi, mi);
        }

        return Math.Sqrt(Math.Max(divergence / 2, 0) / Math.Log(2));
    }

    /// <summary>scipy's <c>rel_entr</c>: x log(x / y), 0 when x is 0.</summary>
    private static double RelativeEntropy(double x, double y) => x > 0 && y > 0 ? x * Math.Log(x / y) : x == 0 && y >= 0 ? 0 : double.PositiveInfinity;
}
