namespace Fhirhouse.Ml.Monitoring;

/// <summary>
/// A monotone map from a model's score to the observed rate of the outcome, fitted by pool-adjacent-violators as
/// scikit-learn's <c>IsotonicRegression(increasing=True, out_of_bounds="clip")</c> fits it: scores within float64
/// resolution (1e-15) of each other are one point whose outcome is their mean, weighted by their count; the fitted
/// values are joined linearly between the points and held flat outside the fitted range.
/// </summary>
internal sealed class IsotonicCalibrator
{
    private const double Resolution = 1e-15;

    private readonly double[] _x;
    private readonly double[] _y;

    private IsotonicCalibrator(double[] x, double[] y)
    {
        _x = x;
        _y = y;
    }

    /// <summary>The calibrator of <paramref name="scores"/> against <paramref name="outcomes"/> (one to one, not empty, no NaN).</summary>
    public static IsotonicCalibrator Fit(ReadOnlySpan<double> scores, ReadOnlySpan<bool> outcomes)
    {
        if (scores.Length != outcomes.Length || scores.IsEmpty)
        {
            throw new ArgumentException($"Isotonic calibration needs scores and outcomes paired one to one, not empty ({scores.Length} scores, {outcomes.Length} outcomes).");
        }

        // Sorted by score, then outcome (numpy lexsort((y, X))).
        var keys = new (double Score, int Outcome)[scores.Length];
        for (var i = 0; i < scores.Length; i++)
        {
            if (double.IsNaN(scores[i]))
            {
                throw new ArgumentException($"A score is NaN (at {i}).");
            }

            keys[i] = (scores[i], outcomes[i] ? 1 : 0);
        }

        Array.Sort(keys);
        var x = new List<double>();
        var y = new List<double>();
        var w = new List<double>();
        var current = keys[0].Score;
        double sumY = 0, sumW = 0;
        foreach (var (score, outcome) in keys)
        {
            if (score - current >= Resolution)
            {
                x.Add(current);
                w.Add(sumW);
                y.Add(sumY / sumW);
                current = score;
                sumW = 1;
                sumY = outcome;
            }
            else
            {
                sumW += 1;
                sumY += outcome;
            }
        }

        x.Add(current);
        w.Add(sumW);
        y.Add(sumY / sumW);
        var fitted = y.ToArray();
        PoolAdjacentViolators(fitted, [.. w]);
        return new IsotonicCalibrator([.. x], fitted);
    }

    /// <summary>The calibrated probability of <paramref name="score"/>.</summary>
    public double Calibrate(double score)
    {
        var x = Math.Clamp(score, _x[0], _x[^1]);
        if (_x.Length == 1 || x >= _x[^1])
        {
            return _y[^1];
        }

        // The last point at or below x (numpy.interp).
        var j = Array.BinarySearch(_x, x);
        j = j >= 0 ? j : ~j - 1;
        var slope = (_y[j + 1] - _y[j]) / (_x[j + 1] - _x[j]);
        return (slope * (x - _x[j])) + _y[j];
    }

    /// <summary>
    /// The nondecreasing sequence closest to <paramref name="y"/> in weighted least squares, in place: each run that
    /// decreases is pooled into its weighted mean, backing up a block when the pooled value falls below its left
    /// neighbour, in one pass.
    /// </summary>
    private static void PoolAdjacentViolators(double[] y, double[] w)
    {
        var n = y.Length;
        // end[i]: the last index of the block starting at i; for a block's last index, its first.
        var end = new int[n];
        for (var i = 0; i < n; i++)
        {
            end[i] = i;
        }

        var start = 0;
        while (start < n)
        {
            var next = end[start] + 1;
            if (next == n)
            {
                break;
            }

            if (y[start] < y[next])
            {
                start = next;
                continue;
            }

            var sumWy = w[start] * y[start];
            var sumW = w[start];
            while (true)
            {
                var previous = y[next];
                sumWy += w[next] * y[next];
                sumW += w[next];
                next = end[next] + 1;
                if (next == n || previous < y[next])
                {
                    y[start] = sumWy / sumW;
                    w[start] = sumW;
                    end[start] = next - 1;
                    end[next - 1] = start;
                    if (start > 0)
                    {
                        start = end[start - 1];
                    }

                    break;
                }
            }
        }

        var block = 0;
        while (block < n)
        {
            var last = end[block];
            for (var k = block + 1; k <= last; k++)
            {
                y[k] = y[block];
            }

            block = last + 1;
        }
    }
}
