namespace Fhirhouse.Ml.Monitoring;

/// <summary>
/// Confidence-based performance estimation (NannyML's CBPE): with calibrated probabilities, each row counts as
/// p of a positive and 1 - p of a negative, so the ROC curve's expected true and false positives at each threshold are
/// the running sums of p and of 1 - p over the rows scored at or above it.
/// </summary>
internal static class PerformanceEstimate
{
    /// <summary>
    /// The expected AUROC of <paramref name="scores"/> when row i is positive with probability
    /// <paramref name="probabilities"/>[i]: the trapezoid area under the expected ROC curve, thresholds at the distinct
    /// scores, highest first (rows tied on a score move together, as the AUROC counts ties half). NaN when the expected
    /// positives or negatives are zero.
    /// </summary>
    public static double Auroc(ReadOnlySpan<double> scores, ReadOnlySpan<double> probabilities)
    {
        if (scores.Length != probabilities.Length || scores.IsEmpty)
        {
            throw new ArgumentException($"Scores and probabilities must pair one to one and not be empty ({scores.Length} and {probabilities.Length}).");
        }

        var keys = scores.ToArray();
        var p = probabilities.ToArray();
        Array.Sort(keys, p);
        double area = 0, truePositives = 0, falsePositives = 0;
        var i = keys.Length - 1;
        while (i >= 0)
        {
            var score = keys[i];
            double tp = truePositives, fp = falsePositives;
            while (i >= 0 && keys[i] == score)
            {
                tp += p[i];
                fp += 1 - p[i];
                i--;
            }

            area += (fp - falsePositives) * (tp + truePositives) / 2;
            (truePositives, falsePositives) = (tp, fp);
        }

        return truePositives > 0 && falsePositives > 0 ? area / (truePositives * falsePositives) : double.NaN;
    }
}
