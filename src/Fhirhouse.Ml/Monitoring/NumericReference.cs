using Fhirhouse.Ml.Statistics;

namespace Fhirhouse.Ml.Monitoring;

/// <summary>
/// A numeric feature's reference values prepared once for many windows: the present values, sorted, and their
/// standard deviation, so a window's distance test sorts only the window. Decides exactly as
/// <see cref="DriftTests.Numeric"/> does.
/// </summary>
internal sealed class NumericReference
{
    private readonly double[] _present;
    private readonly double[] _sorted;
    private readonly double _sd;

    public NumericReference(ReadOnlySpan<double> values)
    {
        _present = Present(values);
        _sorted = (double[])_present.Clone();
        Array.Sort(_sorted);
        var mean = 0.0;
        foreach (var x in _present)
        {
            mean += x;
        }

        mean /= _present.Length;
        var variance = 0.0;
        foreach (var x in _present)
        {
            variance += (x - mean) * (x - mean);
        }

        _sd = Math.Sqrt(variance / _present.Length);
    }

    /// <summary>The number of present (not NaN) reference values.</summary>
    public int Count => _present.Length;

    /// <summary>
    /// The window's drift against the reference (which must hold a value). A window without any value of a feature the
    /// reference has is drift: p 0 for a p-value test, an infinite distance for the others.
    /// </summary>
    public FeatureDrift Test(string feature, ReadOnlySpan<double> window, DriftOptions options)
    {
        var current = Present(window);
        var method = options.Numeric ?? (_present.Length <= options.SmallReference ? DriftMethod.KolmogorovSmirnov : DriftMethod.NormalisedWasserstein);
        if (method == DriftMethod.KolmogorovSmirnov && Math.Max(_present.Length, current.Length) > KolmogorovSmirnov.MaxExact)
        {
            method = DriftMethod.NormalisedWasserstein;
        }

        if (current.Length == 0)
        {
            return method == DriftMethod.KolmogorovSmirnov
                ? new FeatureDrift(feature, method, 0.0, options.PValue, true)
                : new FeatureDrift(feature, method, double.PositiveInfinity, method == DriftMethod.PopulationStability ? options.PopulationStabilityThreshold : options.Distance, true);
        }

        if (method != DriftMethod.NormalisedWasserstein)
        {
            return DriftTests.Numeric(feature, _present, current, options);
        }

        Array.Sort(current);
        var distance = Distances.WassersteinOfSorted(_sorted, current);
        var normalised = _sd > 0 ? distance / _sd : distance == 0 ? 0 : double.PositiveInfinity;
        return new FeatureDrift(feature, method, normalised, options.Distance, normalised >= options.Distance);
    }

    private static double[] Present(ReadOnlySpan<double> values)
    {
        var count = 0;
        foreach (var v in values)
        {
            count += double.IsNaN(v) ? 0 : 1;
        }

        var present = new double[count];
        var k = 0;
        foreach (var v in values)
        {
            if (!double.IsNaN(v))
            {
                present[k++] = v;
            }
        }

        return present;
    }
}
