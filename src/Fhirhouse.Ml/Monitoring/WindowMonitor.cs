using System.Globalization;
using Fhirhouse.Ml.Features;
using Fhirhouse.Ml.Statistics;

namespace Fhirhouse.Ml.Monitoring;

/// <summary>
/// Monitors a model over time without waiting for labels: the current rows are cut into calendar windows (UTC) of
/// their index time, and each window with enough rows is tested against the reference for feature, dataset and
/// prediction drift, multivariate drift (a domain classifier), and its AUROC is estimated from the scores alone by
/// confidence-based performance estimation (an isotonic calibrator fitted on the reference's scores and labels);
/// the AUROC and Brier score are realised where labels are already known.
/// </summary>
public static class WindowMonitor
{
    /// <summary>
    /// Runs the monitor. Throws <see cref="ArgumentException"/> when the input does not pair up (scores and rows,
    /// values and features), a score is NaN, or the reference lacks labelled rows of both outcomes.
    /// </summary>
    public static MonitoringReport Run(MonitorInput input, MonitorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        options ??= new MonitorOptions();
        options.Validate();
        Check(input);
        var features = input.Features;

        var labelled = Enumerable.Range(0, input.Reference.Count).Where(i => input.Reference[i].Label is not null).ToArray();
        var referenceScores = labelled.Select(i => input.ReferenceScores[i]).ToArray();
        var referenceLabels = labelled.Select(i => input.Reference[i].Label == 1).ToArray();
        var referencePositives = referenceLabels.Count(l => l);
        if (referencePositives == 0 || referencePositives == referenceLabels.Length)
        {
            throw new ArgumentException($"The reference needs labelled rows of both outcomes to calibrate the scores ({referenceLabels.Length} labelled, {referencePositives} positive).");
        }

        var calibrator = IsotonicCalibrator.Fit(referenceScores, referenceLabels);
        var referenceAuroc = ClassifierMetrics.Auroc(referenceScores, referenceLabels);
        var everyReferenceRow = Enumerable.Range(0, input.Reference.Count).ToArray();
        var numeric = new NumericReference?[features.Count];
        var categorical = new List<string?>?[features.Count];
        for (var f = 0; f < features.Count; f++)
        {
            if (features[f].Categorical)
            {
                categorical[f] = Categories(input.Reference, f, everyReferenceRow);
            }
            else
            {
                numeric[f] = new NumericReference(Numbers(input.Reference, f, everyReferenceRow));
            }
        }

        var prediction = new NumericReference([.. input.ReferenceScores]);
        var domain = options.DomainClassifier ? new DomainClassifier(features, input.Reference, options) : null;
        var windows = new List<WindowResult>();
        foreach (var (start, rows) in Windows(input.Current, options.WindowMonths))
        {
            var end = start.AddMonths(options.WindowMonths);
            var scores = rows.Select(i => input.CurrentScores[i]).ToArray();
            var known = rows.Where(i => input.Current[i].Label is not null).ToArray();
            var positives = known.Count(i => input.Current[i].Label == 1);
            var meanScore = scores.Average();
            if (rows.Length < options.MinWindowRows)
            {
                windows.Add(new WindowResult(
                    start, end, rows.Length, known.Length, positives, null, null, null, null, null, null, null, meanScore,
                    $"{rows.Length} rows, fewer than MinWindowRows ({options.MinWindowRows}): not tested"));
                continue;
            }

            // Features are independent: tested in parallel, kept in feature order.
            var tested = new FeatureDrift?[features.Count];
            Parallel.For(0, features.Count, f =>
            {
                if (numeric[f] is { Count: > 0 } reference)
                {
                    tested[f] = reference.Test(features[f].Name, Numbers(input.Current, f, rows), options.Drift);
                }
                else if (categorical[f] is { Count: > 0 } values)
                {
                    tested[f] = DriftTests.Categorical(features[f].Name, values, Categories(input.Current, f, rows), options.Drift);
                }
            });
            var drifts = tested.OfType<FeatureDrift>().ToList();

            double? realisedAuroc = null, realisedBrier = null;
            if (positives > 0 && positives < known.Length)
            {
                var knownScores = known.Select(i => input.CurrentScores[i]).ToArray();
                var knownLabels = known.Select(i => input.Current[i].Label == 1).ToArray();
                realisedAuroc = ClassifierMetrics.Auroc(knownScores, knownLabels);
                realisedBrier = ClassifierMetrics.Brier(knownScores, knownLabels);
            }

            var estimated = PerformanceEstimate.Auroc(scores, [.. scores.Select(calibrator.Calibrate)]);
            var domainAuroc = domain?.CrossValidatedAuroc([.. rows.Select(i => input.Current[i])]) is { } auroc && !double.IsNaN(auroc) ? auroc : (double?)null;
            windows.Add(new WindowResult(
                start, end, rows.Length, known.Length, positives,
                DriftTests.Dataset(drifts, options.Drift),
                prediction.Test("prediction", scores, options.Drift),
                domainAuroc, domainAuroc is { } d ? d >= options.DomainThreshold(input.Reference.Count, rows.Length) : null,
                double.IsNaN(estimated) ? null : estimated,
                realisedAuroc, realisedBrier, meanScore, null));
        }

        return new MonitoringReport(referenceAuroc, input.Reference.Count, windows);
    }

    /// <summary>The window label: <c>2022-03</c>, or <c>2022-01..2022-03</c> for a window of several months.</summary>
    public static string Label(DateTimeOffset start, DateTimeOffset end)
    {
        var last = end.AddMonths(-1);
        var first = start.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        return last <= start ? first : $"{first}..{last.ToString("yyyy-MM", CultureInfo.InvariantCulture)}";
    }

    /// <summary>The current rows' indices by window, oldest first: windows of <paramref name="months"/> calendar months (UTC) from the first row's month.</summary>
    internal static IEnumerable<(DateTimeOffset Start, int[] Rows)> Windows(IReadOnlyList<FeatureRow> rows, int months)
    {
        if (rows.Count == 0)
        {
            return [];
        }

        var month = new int[rows.Count];
        var first = int.MaxValue;
        for (var i = 0; i < rows.Count; i++)
        {
            var utc = rows[i].IndexTime.UtcDateTime;
            month[i] = (utc.Year * 12) + utc.Month - 1;
            first = Math.Min(first, month[i]);
        }

        var origin = new DateTimeOffset(first / 12, (first % 12) + 1, 1, 0, 0, 0, TimeSpan.Zero);
        return Enumerable.Range(0, rows.Count)
            .GroupBy(i => (month[i] - first) / months)
            .OrderBy(g => g.Key)
            .Select(g => (origin.AddMonths(g.Key * months), g.ToArray()));
    }

    private static double[] Numbers(IReadOnlyList<FeatureRow> rows, int feature, int[] indices)
    {
        var column = new double[indices.Length];
        for (var k = 0; k < indices.Length; k++)
        {
            column[k] = rows[indices[k]].Values[feature] is double d ? d : double.NaN;
        }

        return column;
    }

    private static List<string?> Categories(IReadOnlyList<FeatureRow> rows, int feature, int[] indices)
    {
        var column = new List<string?>(indices.Length);
        foreach (var i in indices)
        {
            column.Add(rows[i].Values[feature] as string);
        }

        return column;
    }

    private static void Check(MonitorInput input)
    {
        ArgumentNullException.ThrowIfNull(input.Features);
        ArgumentNullException.ThrowIfNull(input.Reference);
        ArgumentNullException.ThrowIfNull(input.ReferenceScores);
        ArgumentNullException.ThrowIfNull(input.Current);
        ArgumentNullException.ThrowIfNull(input.CurrentScores);
        foreach (var (side, rows, scores) in new[] { ("reference", input.Reference, input.ReferenceScores), ("current", input.Current, input.CurrentScores) })
        {
            if (rows.Count != scores.Count)
            {
                throw new ArgumentException($"The {side} rows and scores must pair one to one ({rows.Count} rows, {scores.Count} scores).");
            }

            for (var i = 0; i < rows.Count; i++)
            {
                if (rows[i].Values.Length != input.Features.Count)
                {
                    throw new ArgumentException($"The {side} row {i} holds {rows[i].Values.Length} values for {input.Features.Count} features.");
                }

                if (double.IsNaN(scores[i]))
                {
                    throw new ArgumentException($"The {side} score {i} is NaN.");
                }
            }
        }
    }
}
