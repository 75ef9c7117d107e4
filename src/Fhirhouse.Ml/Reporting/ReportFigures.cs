using System.Globalization;
using Fhirhouse.Ml.Features;
using Fhirhouse.Ml.Monitoring;
using Fhirhouse.Ml.Statistics;
using ScottPlot;

namespace Fhirhouse.Ml.Reporting;

/// <summary>
/// The report's figures, drawn with ScottPlot at fixed sizes into PNG (the same input gives the same bytes): drift
/// share, per-feature drift scores, performance, distributions of the drifted features and the mean score, each over
/// the windows; skipped windows are shaded.
/// </summary>
internal static class ReportFigures
{
    public const int MaxDistributions = 6;

    private const int WideWidth = 900;
    private const int WideHeight = 360;
    private const int SmallWidth = 440;
    private const int SmallHeight = 300;
    private const int HistogramBins = 20;
    private const int MaxCategories = 10;

    /// <summary>The figures' font: DejaVu Sans (Debian's fonts-dejavu-core), else ScottPlot's fallback.</summary>
    private const string Font = "DejaVu Sans";

    private static readonly Color Reference = Color.FromHex("#4c72b0");
    private static readonly Color Current = Color.FromHex("#dd8452");
    private static readonly Color Drift = Color.FromHex("#c44e52");
    private static readonly Color Quiet = Color.FromHex("#8da0cb");
    private static readonly Color Shade = Color.FromHex("#bbbbbb").WithAlpha(0.35);
    private static readonly Color Threshold = Color.FromHex("#333333");

    private static readonly Color[] Lines =
    [
        Color.FromHex("#1f77b4"), Color.FromHex("#d62728"), Color.FromHex("#2ca02c"), Color.FromHex("#9467bd"), Color.FromHex("#8c564b"),
        Color.FromHex("#e377c2"), Color.FromHex("#7f7f7f"), Color.FromHex("#bcbd22"), Color.FromHex("#17becf"), Color.FromHex("#ff7f0e"),
    ];

    /// <summary>(1) The share of drifted features in each window, drifted windows in red, with the dataset threshold.</summary>
    public static Figure DriftShare(ReportDigest digest)
    {
        using var plot = TimePlot(digest, "Share of drifted features per window", "share of features");
        var bars = new List<Bar>();
        for (var i = 0; i < digest.Windows.Count; i++)
        {
            if (digest.Windows[i].Data is { } data && digest.Windows[i].Skipped is null)
            {
                bars.Add(new Bar { Position = i, Value = data.Share, Size = 0.7, FillColor = data.Drifted ? Drift : Quiet, LineWidth = 0 });
            }
        }

        plot.Add.Bars(bars);
        var line = plot.Add.HorizontalLine(digest.Input.DatasetThreshold, 1.5f, Threshold, LinePattern.Dashed);
        line.LegendText = string.Create(CultureInfo.InvariantCulture, $"dataset drift threshold ({digest.Input.DatasetThreshold:0.##})");
        plot.Axes.SetLimitsY(0, 1.05);
        return Render(plot, "Share of drifted features per window",
            "Bars: the share of the model's features that drifted in each window, red when the window's dataset drifted (the share reached the dashed threshold). Shaded: windows skipped.",
            WideWidth, WideHeight);
    }

    /// <summary>(2) Each drifted feature's drift score over the windows, relative to its threshold (1).</summary>
    public static Figure? FeatureScores(ReportDigest digest)
    {
        if (digest.DriftedFeatures.Count == 0)
        {
            return null;
        }

        using var plot = TimePlot(digest, "Drift score of the drifted features (1 = threshold)", "score / threshold");
        var highest = 1.0;
        for (var k = 0; k < digest.DriftedFeatures.Count; k++)
        {
            var feature = digest.DriftedFeatures[k];
            var values = digest.Windows.Select(w => w.Skipped is null && w.Data?.Features.FirstOrDefault(f => string.Equals(f.Feature, feature, StringComparison.Ordinal)) is { } f
                ? ReportDigest.Relative(f) : (double?)null).ToArray();
            highest = Math.Max(highest, values.Max() ?? 0);
            AddSeries(plot, values, Lines[k % Lines.Length], feature, LinePattern.Solid);
        }

        var line = plot.Add.HorizontalLine(1, 1.5f, Threshold, LinePattern.Dashed);
        line.LegendText = "threshold";
        plot.Axes.SetLimitsY(0, highest * 1.1);
        return Render(plot, "Drift score of the drifted features",
            string.Create(CultureInfo.InvariantCulture, $"Each feature that drifted in a window, its drift score relative to its threshold: above 1 (dashed) the feature drifted. Distances are divided by their threshold; p-values are shown as log p / log threshold (a p-value of 0.05 at threshold 0.05 is 1, 0.0025 is 2). At most {ReportDigest.MaxRelative:0}."),
            WideWidth, WideHeight);
    }

    /// <summary>(3) Realised and estimated AUROC over the windows against the reference AUROC.</summary>
    public static Figure Performance(ReportDigest digest)
    {
        using var plot = TimePlot(digest, "AUROC per window", "AUROC");
        var realised = digest.Windows.Select(w => w.Skipped is null ? Finite(w.RealisedAuroc) : null).ToArray();
        var estimated = digest.Windows.Select(w => w.Skipped is null ? Finite(w.EstimatedAuroc) : null).ToArray();
        AddSeries(plot, estimated, Current, "estimated (CBPE, no labels needed)", LinePattern.Dashed);
        AddSeries(plot, realised, Reference, "realised (labelled rows)", LinePattern.Solid);
        var reference = digest.Input.Monitoring.ReferenceAuroc;
        if (double.IsFinite(reference))
        {
            var line = plot.Add.HorizontalLine(reference, 1.5f, Threshold, LinePattern.Dotted);
            line.LegendText = string.Create(CultureInfo.InvariantCulture, $"reference ({reference:0.00})");
        }

        var low = realised.Concat(estimated).Append(double.IsFinite(reference) ? reference : null).Min() ?? 0.5;
        plot.Axes.SetLimitsY(Math.Min(0.5, low - 0.05), 1.0);
        return Render(plot, "AUROC per window",
            "Solid: AUROC measured on the window's labelled rows, once their outcomes are known. Dashed: AUROC estimated from the scores alone (confidence-based performance estimation), available before labels arrive. Dotted: AUROC on the reference rows.",
            WideWidth, WideHeight);
    }

    /// <summary>(5) The mean score over the windows against the reference's, windows with prediction drift in red.</summary>
    public static Figure MeanScore(ReportDigest digest)
    {
        using var plot = TimePlot(digest, "Mean predicted risk per window", "mean score");
        var means = digest.Windows.Select(w => w.Skipped is null ? Finite(w.MeanScore) : null).ToArray();
        AddSeries(plot, means, Reference, "mean score", LinePattern.Solid);
        var drifted = Enumerable.Range(0, digest.Windows.Count).Where(i => digest.Windows[i].Prediction?.Drifted == true && means[i] is not null).ToArray();
        if (drifted.Length > 0)
        {
            var points = plot.Add.ScatterPoints(drifted.Select(i => (double)i).ToArray(), drifted.Select(i => means[i]!.Value).ToArray(), Drift);
            points.MarkerSize = 9;
            points.LegendText = "prediction drift";
        }

        if (digest.ReferenceMeanScore is { } referenceMean)
        {
            var line = plot.Add.HorizontalLine(referenceMean, 1.5f, Threshold, LinePattern.Dotted);
            line.LegendText = string.Create(CultureInfo.InvariantCulture, $"reference ({referenceMean:0.000})");
        }

        var high = means.Append(digest.ReferenceMeanScore).Max() ?? 1;
        plot.Axes.SetLimitsY(0, Math.Min(1, high * 1.25 + 0.01));
        return Render(plot, "Mean predicted risk per window",
            "The mean of the model's scores in each window (prediction drift): red where the distribution of scores drifted from the reference's. Dotted: the reference's mean score.",
            WideWidth, WideHeight);
    }

    /// <summary>(4) The reference distribution of a drifted feature against the latest window it drifted in.</summary>
    public static Figure? Distribution(ReportDigest digest, string feature)
    {
        var column = digest.ColumnOf(feature);
        var latest = digest.LatestDriftOf(feature);
        if (column < 0 || latest < 0)
        {
            return null;
        }

        var window = digest.Windows[latest];
        var current = digest.RowsOf(window);
        if (current.Count == 0 || digest.Input.Data.Reference.Count == 0)
        {
            return null;
        }

        var label = digest.Labels[latest];
        var drift = window.Data!.Features.First(f => string.Equals(f.Feature, feature, StringComparison.Ordinal));
        var test = string.Create(CultureInfo.InvariantCulture, $"{ReportDigest.MethodName(drift.Method)}: {(drift.Method.IsPValue() ? "p" : "score")} {Score(drift.Score)} (threshold {Score(drift.Threshold)})");
        using var plot = NewPlot();
        plot.Title(string.Create(CultureInfo.InvariantCulture, $"{feature}: reference against {label}"));
        plot.YLabel("share of rows");
        string caption;
        if (digest.Input.Data.Features[column].Categorical)
        {
            caption = Categories(plot, Strings(digest.Input.Data.Reference, column), Strings(current, column), label);
        }
        else
        {
            caption = Histogram(plot, Numbers(digest.Input.Data.Reference, column), Numbers(current, column), label);
        }

        plot.ShowLegend(Alignment.UpperRight);
        return Render(plot, string.Create(CultureInfo.InvariantCulture, $"{feature}: reference against {label}"), $"{caption} {test}.", SmallWidth, SmallHeight);
    }

    private static string Histogram(Plot plot, double[] reference, double[] current, string label)
    {
        var r = reference.Where(double.IsFinite).ToArray();
        var c = current.Where(double.IsFinite).ToArray();
        var missing = string.Create(CultureInfo.InvariantCulture, $"Missing: {Share(reference.Length - r.Length, reference.Length)} of reference rows, {Share(current.Length - c.Length, current.Length)} in {label}.");
        if (r.Length == 0 && c.Length == 0)
        {
            return "No value in either sample. " + missing;
        }

        var both = r.Concat(c).ToArray();
        var low = both.Min();
        var high = both.Max();
        var bins = high > low ? HistogramBins : 1;
        var width = high > low ? (high - low) / bins : 1;
        double[] Shares(double[] values)
        {
            var counts = new double[bins];
            foreach (var v in values)
            {
                counts[Math.Min(bins - 1, (int)((v - low) / width))]++;
            }

            return [.. counts.Select(n => values.Length == 0 ? 0 : n / values.Length)];
        }

        var rs = Shares(r);
        var cs = Shares(c);
        var bars = new List<Bar>();
        for (var b = 0; b < bins; b++)
        {
            var centre = low + (b + 0.5) * width;
            bars.Add(new Bar { Position = centre - width / 4, Value = rs[b], Size = width / 2, FillColor = Reference, LineWidth = 0 });
            bars.Add(new Bar { Position = centre + width / 4, Value = cs[b], Size = width / 2, FillColor = Current, LineWidth = 0 });
        }

        plot.Add.Bars(bars);
        Legend(plot, label);
        plot.XLabel("value");
        plot.Axes.Margins(bottom: 0);
        return string.Create(CultureInfo.InvariantCulture, $"Histograms over the same {bins} bins from {low:0.###} to {high:0.###} (missing values left out), as shares of each sample's rows. {missing}");
    }

    private static string Categories(Plot plot, string?[] reference, string?[] current, string label)
    {
        static string Name(string? value) => value ?? "(missing)";
        var referenceShares = reference.GroupBy(Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (double)g.Count() / reference.Length, StringComparer.Ordinal);
        var currentShares = current.GroupBy(Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (double)g.Count() / current.Length, StringComparer.Ordinal);
        var all = referenceShares.Keys.Union(currentShares.Keys, StringComparer.Ordinal)
            .OrderByDescending(k => referenceShares.GetValueOrDefault(k) + currentShares.GetValueOrDefault(k)).ThenBy(k => k, StringComparer.Ordinal).ToList();
        var shown = all.Count > MaxCategories ? all.Take(MaxCategories - 1).ToList() : all;
        var other = all.Skip(shown.Count).ToHashSet(StringComparer.Ordinal);
        double Of(Dictionary<string, double> shares, int i) =>
            i < shown.Count ? shares.GetValueOrDefault(shown[i]) : other.Sum(k => shares.GetValueOrDefault(k));
        var slots = shown.Count + (other.Count > 0 ? 1 : 0);
        var bars = new List<Bar>();
        for (var i = 0; i < slots; i++)
        {
            bars.Add(new Bar { Position = i - 0.2, Value = Of(referenceShares, i), Size = 0.4, FillColor = Reference, LineWidth = 0 });
            bars.Add(new Bar { Position = i + 0.2, Value = Of(currentShares, i), Size = 0.4, FillColor = Current, LineWidth = 0 });
        }

        plot.Add.Bars(bars);
        Legend(plot, label);
        var names = shown.Select(n => n.Length > 14 ? n[..13] + "…" : n).Concat(other.Count > 0 ? [string.Create(CultureInfo.InvariantCulture, $"({other.Count} more)")] : []).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. Enumerable.Range(0, slots).Select(i => (double)i)], names);
        plot.Axes.Margins(bottom: 0);
        return other.Count > 0
            ? string.Create(CultureInfo.InvariantCulture, $"Shares of each category in each sample, the {shown.Count} most common shown and {other.Count} more together.")
            : "Shares of each category in each sample.";
    }

    private static void Legend(Plot plot, string label)
    {
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "reference", FillColor = Reference });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = label, FillColor = Current });
    }

    private static Plot TimePlot(ReportDigest digest, string title, string yLabel)
    {
        var plot = NewPlot();
        plot.Title(title);
        plot.YLabel(yLabel);
        var windows = digest.Windows;
        var shaded = false;
        for (var i = 0; i < windows.Count; i++)
        {
            if (windows[i].Skipped is not null)
            {
                var span = plot.Add.HorizontalSpan(i - 0.5, i + 0.5, Shade);
                span.LineWidth = 0;
                if (!shaded)
                {
                    span.LegendText = "skipped";
                    shaded = true;
                }
            }
        }

        var step = Math.Max(1, (int)Math.Ceiling(windows.Count / 10.0));
        var ticks = Enumerable.Range(0, windows.Count).Where(i => i % step == 0).ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. ticks.Select(i => (double)i)], [.. ticks.Select(i => digest.Labels[i])]);
        plot.Axes.SetLimitsX(-0.6, Math.Max(0, windows.Count - 1) + 0.6);
        plot.XLabel("window (start)");
        plot.ShowLegend(Edge.Bottom);
        return plot;
    }

    private static Plot NewPlot()
    {
        var plot = new Plot();
        plot.Font.Set(Font);
        return plot;
    }

    /// <summary>A line through the values present, broken where one is missing; an isolated value is a point.</summary>
    private static void AddSeries(Plot plot, double?[] values, Color color, string legend, LinePattern pattern)
    {
        var labelled = false;
        var i = 0;
        while (i < values.Length)
        {
            if (values[i] is null)
            {
                i++;
                continue;
            }

            var start = i;
            while (i < values.Length && values[i] is not null)
            {
                i++;
            }

            var xs = Enumerable.Range(start, i - start).Select(x => (double)x).ToArray();
            var ys = values[start..i].Select(v => v!.Value).ToArray();
            var line = plot.Add.Scatter(xs, ys, color);
            line.LinePattern = pattern;
            line.LineWidth = 2;
            line.MarkerSize = 5;
            if (!labelled)
            {
                line.LegendText = legend;
                labelled = true;
            }
        }
    }

    private static Figure Render(Plot plot, string title, string caption, int width, int height) =>
        new(title, caption, plot.GetImageBytes(width, height, ImageFormat.Png), width, height);

    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;

    private static double[] Numbers(IReadOnlyList<FeatureRow> rows, int column) =>
        [.. rows.Select(r => r.Values[column] is double d ? d : double.NaN)];

    private static string?[] Strings(IReadOnlyList<FeatureRow> rows, int column) =>
        [.. rows.Select(r => r.Values[column] as string)];

    private static string Share(int part, int whole) =>
        whole == 0 ? "0%" : ((double)part / whole).ToString("0.#%", CultureInfo.InvariantCulture);

    private static string Score(double value) =>
        value is > 0 and < 0.001 ? value.ToString("0.0e0", CultureInfo.InvariantCulture) : value.ToString("0.###", CultureInfo.InvariantCulture);
}
