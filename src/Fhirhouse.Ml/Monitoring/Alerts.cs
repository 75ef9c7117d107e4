using System.Globalization;
using Fhirhouse.Ml.Statistics;

namespace Fhirhouse.Ml.Monitoring;

/// <summary>The alerts a monitoring report raises under <see cref="AlertRules"/>, each with its reason in words and figures.</summary>
public static class Alerts
{
    /// <summary>
    /// The alerts of <paramref name="report"/>, window by window, oldest first: <c>dataset-drift</c> in each tested
    /// window that ends a run of at least <see cref="AlertRules.DatasetDriftWindows"/> tested windows whose dataset
    /// drifted (windows not tested neither break nor extend a run); <c>estimated-auroc-drop</c> and
    /// <c>realised-auroc-drop</c> when the reference's AUROC less the window's is above the bound in
    /// <see cref="AlertRules.AurocDropWindows"/> tested windows running (realised: windows with at least
    /// <see cref="AlertRules.MinLabelledOutcomes"/> rows of each outcome; others break a run);
    /// <c>multivariate-drift</c> in each window ending a run of <see cref="AlertRules.MultivariateDriftWindows"/> tested
    /// windows the domain classifier told from the reference (windows without a classifier result break a run).
    /// </summary>
    public static IReadOnlyList<Alert> Evaluate(MonitoringReport report, AlertRules? rules = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        rules ??= new AlertRules();
        if (rules.DatasetDriftWindows < 1)
        {
            throw new ArgumentException($"AlertRules.DatasetDriftWindows must be at least 1 (got {rules.DatasetDriftWindows}).");
        }

        if (rules.MultivariateDriftWindows < 1)
        {
            throw new ArgumentException($"AlertRules.MultivariateDriftWindows must be at least 1 (got {rules.MultivariateDriftWindows}).");
        }

        var alerts = new List<Alert>();
        var run = new List<WindowResult>();
        var apart = 0;
        var estimatedLow = 0;
        var realisedLow = 0;
        foreach (var window in report.Windows)
        {
            if (window.Data is not { } data)
            {
                continue;
            }

            var drifted = MostDriftedFirst(data);
            var names = drifted.Select(f => f.Feature).ToArray();
            var label = WindowMonitor.Label(window.Start, window.End);
            if (data.Drifted)
            {
                run.Add(window);
                if (run.Count >= rules.DatasetDriftWindows)
                {
                    var months = run.Skip(run.Count - rules.DatasetDriftWindows).Select(w => WindowMonitor.Label(w.Start, w.End)).ToArray();
                    alerts.Add(new Alert(
                        window.Start, "dataset-drift",
                        $"dataset drift in {Join(months)}: {drifted.Count} of {data.Features.Count} features ({string.Join(", ", drifted.Select(Describe))})",
                        names));
                }
            }
            else
            {
                run.Clear();
            }

            estimatedLow = window.EstimatedAuroc is { } e && report.ReferenceAuroc - e > rules.MaxEstimatedAurocDrop ? estimatedLow + 1 : 0;
            var enoughLabels = window.Positives >= rules.MinLabelledOutcomes && window.LabelledRows - window.Positives >= rules.MinLabelledOutcomes;
            realisedLow = enoughLabels && window.RealisedAuroc is { } r && report.ReferenceAuroc - r > rules.MaxRealisedAurocDrop ? realisedLow + 1 : 0;
            if (window.EstimatedAuroc is { } estimated && estimatedLow >= rules.AurocDropWindows)
            {
                alerts.Add(new Alert(
                    window.Start, "estimated-auroc-drop",
                    $"estimated AUROC {F(estimated)} in {label} ({window.Rows} rows, no labels needed), {F(report.ReferenceAuroc - estimated)} below the reference's {F(report.ReferenceAuroc)} (bound {F(rules.MaxEstimatedAurocDrop)})",
                    names));
            }

            if (window.RealisedAuroc is { } realised && realisedLow >= rules.AurocDropWindows)
            {
                alerts.Add(new Alert(
                    window.Start, "realised-auroc-drop",
                    $"realised AUROC {F(realised)} in {label} ({window.LabelledRows} labelled rows, {window.Positives} positive), {F(report.ReferenceAuroc - realised)} below the reference's {F(report.ReferenceAuroc)} (bound {F(rules.MaxRealisedAurocDrop)})",
                    names));
            }

            apart = window.MultivariateDrift == true ? apart + 1 : 0;
            if (rules.MultivariateDrift && apart >= rules.MultivariateDriftWindows && window.DomainAuroc is { } domain)
            {
                alerts.Add(new Alert(
                    window.Start, "multivariate-drift",
                    $"a classifier tells {label} from the reference with cross-validated AUROC {F(domain)} (0.5 when they cannot be told apart); {drifted.Count} of {data.Features.Count} features drift on their own",
                    names));
            }
        }

        return alerts;
    }

    /// <summary>The drifted features, the furthest past its threshold first: distance / threshold, or threshold / p for a p-value; ties by name.</summary>
    public static IReadOnlyList<FeatureDrift> MostDriftedFirst(DatasetDrift data) =>
        [.. data.Features.Where(f => f.Drifted).OrderByDescending(Severity).ThenBy(f => f.Feature, StringComparer.Ordinal)];

    private static double Severity(FeatureDrift drift) => drift.Method.IsPValue()
        ? (drift.Score > 0 ? drift.Threshold / drift.Score : double.PositiveInfinity)
        : drift.Score / drift.Threshold;

    private static string Describe(FeatureDrift drift) => drift.Method switch
    {
        DriftMethod.KolmogorovSmirnov => $"{drift.Feature}: Kolmogorov-Smirnov p {P(drift.Score)} < {F(drift.Threshold)}",
        DriftMethod.ChiSquare => $"{drift.Feature}: chi-square p {P(drift.Score)} < {F(drift.Threshold)}",
        DriftMethod.NormalisedWasserstein => $"{drift.Feature}: Wasserstein {F(drift.Score)} >= {F(drift.Threshold)}",
        DriftMethod.JensenShannon => $"{drift.Feature}: Jensen-Shannon {F(drift.Score)} >= {F(drift.Threshold)}",
        _ => $"{drift.Feature}: PSI {F(drift.Score)} >= {F(drift.Threshold)}",
    };

    private static string Join(IReadOnlyList<string> items) =>
        items.Count == 1 ? items[0] : $"{string.Join(", ", items.Take(items.Count - 1))} and {items[^1]}";

    private static string F(double value) =>
        double.IsPositiveInfinity(value) ? "infinite" : value.ToString(value != 0 && Math.Abs(value) < 0.01 ? "0.####" : "0.###", CultureInfo.InvariantCulture);

    private static string P(double p) => p < 0.0001 ? "< 0.0001" : p.ToString("0.####", CultureInfo.InvariantCulture);
}
