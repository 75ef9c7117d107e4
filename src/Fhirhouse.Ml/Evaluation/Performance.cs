using Fhirhouse.Ml.Statistics;

namespace Fhirhouse.Ml.Evaluation;

/// <summary>
/// How well probabilities fit outcomes on a set of rows: rows, positives, AUROC and average precision (NaN with one
/// class only), Brier score, the expected calibration error (rows-weighted gap between mean probability and observed
/// rate over ten equal-width bins) and the calibration curve (the non-empty bins: observed rate, mean probability, rows).
/// </summary>
public sealed record Performance(int Rows, int Positives, double Auroc, double AveragePrecision, double Brier, double CalibrationError, IReadOnlyList<CalibrationBin> Calibration)
{
    /// <summary>The performance of <paramref name="probabilities"/> for <paramref name="labels"/>.</summary>
    public static Performance Of(ReadOnlySpan<double> probabilities, ReadOnlySpan<bool> labels)
    {
        var positives = 0;
        foreach (var label in labels)
        {
            positives += label ? 1 : 0;
        }

        if (probabilities.Length == 0)
        {
            return new Performance(0, 0, double.NaN, double.NaN, double.NaN, double.NaN, []);
        }

        var curve = ClassifierMetrics.CalibrationCurve(probabilities, labels).Select(b => new CalibrationBin(b.Observed, b.Predicted, b.Count)).ToList();
        var error = curve.Sum(b => b.Rows * Math.Abs(b.Observed - b.Predicted)) / probabilities.Length;
        return new Performance(
            probabilities.Length, positives, ClassifierMetrics.Auroc(probabilities, labels), ClassifierMetrics.AveragePrecision(probabilities, labels),
            ClassifierMetrics.Brier(probabilities, labels), error, curve);
    }
}

/// <summary>One bin of a calibration curve: the observed rate of positives, the mean probability, the rows.</summary>
public sealed record CalibrationBin(double Observed, double Predicted, int Rows);
