namespace Fhirhouse.Ml.Statistics;

/// <summary>
/// How well scores rank and calibrate binary outcomes, as scikit-learn computes them: the area under the ROC curve
/// (<c>roc_auc_score</c>, ties counted half), the average precision (<c>average_precision_score</c>, the area under the
/// precision-recall curve as a step sum, not interpolated) and the Brier score (<c>brier_score_loss</c>).
/// </summary>
public static class ClassifierMetrics
{
    /// <summary>The area under the ROC curve; NaN when only one class is present.</summary>
    public static double Auroc(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels)
    {
        var order = Order(scores, labels);
        long positives = 0, negatives = 0;
        foreach (var label in labels)
        {
            _ = label ? positives++ : negatives++;
        }

        if (positives == 0 || negatives == 0)
        {
            return double.NaN;
        }

        // Mann-Whitney: for each positive, the negatives scored below it, and half of those tied with it.
        double area = 0;
        long negativesBelow = 0;
        var i = 0;
        while (i < order.Length)
        {
            var score = scores[order[i]];
            long tiedPositives = 0, tiedNegatives = 0;
            while (i < order.Length && scores[order[i]] == score)
            {
                _ = labels[order[i]] ? tiedPositives++ : tiedNegatives++;
                i++;
            }

            area += tiedPositives * (negativesBelow + (tiedNegatives / 2.0));
            negativesBelow += tiedNegatives;
        }

        return area / ((double)positives * negatives);
    }

    /// <summary>The average precision: sum over thresholds, highest first, of (recall gained) x precision; NaN with no positive.</summary>
    public static double AveragePrecision(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels)
    {
        var order = Order(scores, labels);
        long positives = 0;
        foreach (var label in labels)
        {
            positives += label ? 1 : 0;
        }

        if (positives == 0)
        {
            return double.NaN;
        }

        double ap = 0, previousRecall = 0;
        long truePositives = 0, falsePositives = 0;
        var i = order.Length - 1;
        while (i >= 0)
        {
            var score = scores[order[i]];
            while (i >= 0 && scores[order[i]] == score)
            {
                _ = labels[order[i]] ? truePositives++ : falsePositives++;
                i--;
            }

            var recall = (double)truePositives / positives;
            ap += (recall - previousRecall) * ((double)truePositives / (truePositives + falsePositives));
            previousRecall = recall;
        }

        return ap;
    }

    /// <summary>The mean squared difference between the predicted probability and the outcome (1 or 0).</summary>
    public static double Brier(ReadOnlySpan<double> probabilities, ReadOnlySpan<bool> labels)
    {
        Check(probabilities, labels);
        var sum = 0.0;
        for (var i = 0; i < labels.Length; i++)
        {
            var difference = probabilities[i] - (labels[i] ? 1 : 0);
            sum += difference * difference;
        }

        return sum / labels.Length;
    }

    /// <summary>
    /// The calibration curve (scikit-learn <c>calibration_curve</c>, uniform strategy): probabilities cut into
    /// <paramref name="bins"/> equal bins of [0, 1] (a probability on an inner edge goes to the bin above it), and for
    /// each bin that holds any, the observed rate of outcomes and the mean predicted probability.
    /// </summary>
    public static IReadOnlyList<(double Observed, double Predicted, int Count)> CalibrationCurve(ReadOnlySpan<double> probabilities, ReadOnlySpan<bool> labels, int bins = 10)
    {
        Check(probabilities, labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        var sums = new double[bins];
        var positives = new double[bins];
        var counts = new int[bins];
        for (var i = 0; i < probabilities.Length; i++)
        {
            var p = probabilities[i];
            if (p < 0 || p > 1)
            {
                throw new ArgumentException($"A probability is outside [0, 1] ({p} at {i}).");
            }

            // numpy.searchsorted(inner edges, p, side="left"): the number of inner edges below p.
            var bin = 0;
            while (bin < bins - 1 && InnerEdge(bin + 1, bins) < p)
            {
                bin++;
            }

            sums[bin] += p;
            positives[bin] += labels[i] ? 1 : 0;
            counts[bin]++;
        }

        var curve = new List<(double, double, int)>(bins);
        for (var b = 0; b < bins; b++)
        {
            if (counts[b] > 0)
            {
                curve.Add((positives[b] / counts[b], sums[b] / counts[b], counts[b]));
            }
        }

        return curve;
    }

    /// <summary>numpy.linspace(0, 1, bins + 1)[k].</summary>
    private static double InnerEdge(int k, int bins) => k == bins ? 1.0 : k * (1.0 / bins);

    /// <summary>The indices of the scores in ascending order.</summary>
    private static int[] Order(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels)
    {
        Check(scores, labels);
        var keys = scores.ToArray();
        var order = new int[keys.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(keys, order);
        return order;
    }

    private static void Check(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels)
    {
        if (scores.Length != labels.Length || scores.IsEmpty)
        {
            throw new ArgumentException($"Scores and outcomes must pair one to one and not be empty ({scores.Length} scores, {labels.Length} outcomes).");
        }

        foreach (var score in scores)
        {
            if (double.IsNaN(score))
            {
                throw new ArgumentException("A score is NaN.");
            }
        }
    }
}
