namespace Fhirhouse.Ml.Statistics;

/// <summary>
/// The population stability index, sum((c - r) ln(c / r)) over bins of the reference (r) and current (c) shares,
/// binned as Evidently bins it: a numeric feature in <c>bins</c> equal-width bins over the range of both samples
/// together (numpy's <c>histogram_bin_edges</c>, the last bin closed), a categorical one by category; an empty bin's
/// share counts as 0.0001 so that the logarithm is defined. Practitioners read &lt; 0.1 as stable, &gt;= 0.2 as a shift.
/// </summary>
public static class PopulationStability
{
    /// <summary>The share an empty bin counts as.</summary>
    public const double EmptyShare = 0.0001;

    /// <summary>The index of two numeric samples over <paramref name="bins"/> bins (10 by default).</summary>
    public static double Numeric(ReadOnlySpan<double> reference, ReadOnlySpan<double> current, int bins = 10)
    {
        if (reference.IsEmpty || current.IsEmpty)
        {
            throw new ArgumentException("The population stability index needs two non-empty samples.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        var (low, high) = (double.PositiveInfinity, double.NegativeInfinity);
        foreach (var x in reference)
        {
            (low, high) = (Math.Min(low, x), Math.Max(high, x));
        }

        foreach (var x in current)
        {
            (low, high) = (Math.Min(low, x), Math.Max(high, x));
        }

        if (low == high)
        {
            (low, high) = (low - 0.5, high + 0.5);
        }

        var edges = new double[bins + 1];
        for (var i = 0; i <= bins; i++)
        {
            // numpy.linspace: low + i * step, the last edge exactly high.
            edges[i] = i == bins ? high : low + (i * ((high - low) / bins));
        }

        var r = Histogram(reference, edges);
        var c = Histogram(current, edges);
        return Index(r, reference.Length, c, current.Length);
    }

    /// <summary>The index of two categorical samples, one bin per category of either.</summary>
    public static double Categorical(IReadOnlyList<string?> reference, IReadOnlyList<string?> current)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        if (reference.Count == 0 || current.Count == 0)
        {
            throw new ArgumentException("The population stability index needs two non-empty samples.");
        }

        var categories = reference.Concat(current).Select(v => v ?? "\0null").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var index = categories.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
        var r = new long[categories.Count];
        var c = new long[categories.Count];
        foreach (var v in reference)
        {
            r[index[v ?? "\0null"]]++;
        }

        foreach (var v in current)
        {
            c[index[v ?? "\0null"]]++;
        }

        return Index(r, reference.Count, c, current.Count);
    }

    private static double Index(long[] reference, int referenceCount, long[] current, int currentCount)
    {
        var psi = 0.0;
        for (var i = 0; i < reference.Length; i++)
        {
            var r = reference[i] == 0 ? EmptyShare : (double)reference[i] / referenceCount;
            var c = current[i] == 0 ? EmptyShare : (double)current[i] / currentCount;
            psi += (c - r) * Math.Log(c / r);
        }

        return psi;
    }

    /// <summary>numpy's <c>histogram</c> over uniform edges: the bin by arithmetic, corrected against the edges; the last bin closed.</summary>
    private static long[] Histogram(ReadOnlySpan<double> values, double[] edges)
    {
        var bins = edges.Length - 1;
        var counts = new long[bins];
        var (first, last) = (edges[0], edges[^1]);
        var norm = bins / (last - first);
        foreach (var x in values)
        {
            if (x < first || x > last)
            {
                continue;
            }

            var index = (int)((x - first) * norm);
            if (index == bins)
            {
                index--;
            }

            if (x < edges[index])
            {
                index--;
            }
            else if (index != bins - 1 && x >= edges[index + 1])
            {
                index++;
            }

            counts[index]++;
        }

        return counts;
    }
}
