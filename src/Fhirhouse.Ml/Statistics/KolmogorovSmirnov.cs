namespace Fhirhouse.Ml.Statistics;

/// <summary>A test's statistic and its p-value.</summary>
public readonly record struct TestResult(double Statistic, double PValue);

/// <summary>
/// The two-sample Kolmogorov-Smirnov test, two-sided, as scipy's <c>ks_2samp</c> computes it in its exact mode: the
/// statistic is the largest distance between the two empirical distribution functions (right-continuous, so ties are
/// handled as scipy does), rounded to the lattice of <c>1/lcm(n1, n2)</c>; the p-value is the exact probability of a
/// distance at least that large, by the square formula when the samples have the same size and otherwise by the
/// numerically stable "inside" recursion of Hodges (1958) as reformulated by Viehmann (2021) for <c>1 - p</c>.
/// Samples up to <see cref="MaxExact"/> each, where scipy's automatic mode is exact too.
/// </summary>
public static class KolmogorovSmirnov
{
    /// <summary>The largest sample size of the exact test (scipy's <c>MAX_AUTO_N</c>).</summary>
    public const int MaxExact = 10_000;

    /// <summary>The test of <paramref name="first"/> against <paramref name="second"/>; NaN values are refused.</summary>
    /// <exception cref="ArgumentException">A sample is empty, holds NaN, or is larger than <see cref="MaxExact"/>.</exception>
    public static TestResult TwoSample(ReadOnlySpan<double> first, ReadOnlySpan<double> second)
    {
        if (first.IsEmpty || second.IsEmpty)
        {
            throw new ArgumentException("The Kolmogorov-Smirnov test needs two non-empty samples.");
        }

        if (first.Length > MaxExact || second.Length > MaxExact)
        {
            throw new ArgumentException($"The exact Kolmogorov-Smirnov test takes samples of at most {MaxExact:N0} values ({first.Length:N0} and {second.Length:N0} given): use the Wasserstein distance for larger ones.");
        }

        var a = Sorted(first);
        var b = Sorted(second);
        var d = Statistic(a, b);
        var (n1, n2) = (a.Length, b.Length);
        var g = Gcd(n1, n2);
        var lcm = (long)(n1 / g) * n2;
        var h = (long)Math.Round(d * lcm, MidpointRounding.ToEven);
        d = h * 1.0 / lcm;
        if (h == 0)
        {
            return new TestResult(d, 1.0);
        }

        var p = n1 == n2 ? OutsideSquare(n1, h) : OutsideInside(n1, n2, g, h);
        return new TestResult(d, Math.Clamp(p, 0.0, 1.0));
    }

    private static double[] Sorted(ReadOnlySpan<double> values)
    {
        var sorted = values.ToArray();
        foreach (var value in sorted)
        {
            if (double.IsNaN(value))
            {
                throw new ArgumentException("A sample of the Kolmogorov-Smirnov test holds NaN.");
            }
        }

        Array.Sort(sorted);
        return sorted;
    }

    /// <summary>sup |F1 - F2| over every value of either sample, with right-continuous empirical distribution functions.</summary>
    private static double Statistic(double[] a, double[] b)
    {
        var (i, j) = (0, 0);
        var max = 0.0;
        while (i < a.Length || j < b.Length)
        {
            // Step past every copy of the next value in both samples at once: F1 and F2 are taken at the same x.
            var x = j >= b.Length || (i < a.Length && a[i] <= b[j]) ? a[i] : b[j];
            while (i < a.Length && a[i] <= x)
            {
                i++;
            }

            while (j < b.Length && b[j] <= x)
            {
                j++;
            }

            max = Math.Max(max, Math.Abs((double)i / a.Length - (double)j / b.Length));
        }

        return max;
    }

    /// <summary>P(D(n,n) &gt;= h/n): 2 (A0 (1 - A1 (1 - A2 (...)))) with each A_k a ratio of h simple terms (no cancellation).</summary>
    private static double OutsideSquare(int n, long h)
    {
        var p = 0.0;
        for (var k = (long)Math.Floor(n / (double)h); k >= 0; k--)
        {
            var term = 1.0;
            for (var j = 0L; j < h; j++)
            {
                term = (n - (k * h) - j) * term / (n + (k * h) + j + 1);
            }

            p = term * (1.0 - p);
        }

        return 2 * p;
    }

    /// <summary>
    /// The share of lattice paths from (0, 0) to (m, n) that leave |x/m - y/n| &lt; h/lcm(m, n), computed column by column
    /// over a sliding window as the probability of having left, so that every value stays in [0, 1].
    /// </summary>
    private static double OutsideInside(int first, int second, int g, long h)
    {
        var (m, n) = first >= second ? (first, second) : (second, first);
        long mg = m / g, ng = n / g;
        var minj = 0L;
        var maxj = Math.Min((long)Math.Ceiling(h / (double)mg), n + 1);
        var curlen = maxj - minj;
        var length = (int)Math.Min((2 * maxj) + 2, n + 1);
        var column = new double[length];
        Array.Fill(column, 1.0);
        Array.Fill(column, 0.0, 0, (int)Math.Min(maxj, length));
        for (long i = 1; i <= m; i++)
        {
            var (lastMinj, lastLength) = (minj, curlen);
            minj = Math.Min(Math.Max((long)Math.Floor(((ng * i) - h) / (double)mg) + 1, 0), n);
            maxj = Math.Min((long)Math.Ceiling(((ng * i) + h) / (double)mg), n + 1);
            if (maxj <= minj)
            {
                return 1.0;
            }

            var value = minj == 0 ? 0.0 : 1.0;
            for (long jj = 0; jj < maxj - minj; jj++)
            {
                var j = jj + minj;
                value = ((column[jj + minj - lastMinj] * i) + (value * j)) / (i + j);
                column[jj] = value;
            }

            curlen = maxj - minj;
            var reset = (int)Math.Min(lastLength - curlen, length - (maxj - minj));
            if (reset > 0)
            {
                Array.Fill(column, 1.0, (int)(maxj - minj), reset);
            }
        }

        return column[maxj - minj - 1];
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
