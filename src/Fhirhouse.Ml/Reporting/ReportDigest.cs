using System.Globalization;
using Fhirhouse.Ml.Features;
using Fhirhouse.Ml.Monitoring;
using Fhirhouse.Ml.Statistics;

namespace Fhirhouse.Ml.Reporting;

/// <summary>
/// What the JSON and the HTML report both derive from the input: a label for each window, the features that drifted
/// in any window (most drifted first) and each drift score relative to its threshold.
/// </summary>
internal sealed class ReportDigest
{
    /// <summary>The largest relative drift score reported (a p-value of 0 would be infinitely far past its threshold).</summary>
    public const double MaxRelative = 10;

    private ReportDigest(MlReportInput input, IReadOnlyList<string> labels, IReadOnlyList<string> driftedFeatures, DateTimeOffset? referenceFrom, DateTimeOffset? referenceTo, double? referenceMeanScore)
    {
        Input = input;
        Labels = labels;
        DriftedFeatures = driftedFeatures;
        ReferenceFrom = referenceFrom;
        ReferenceTo = referenceTo;
        ReferenceMeanScore = referenceMeanScore;
    }

    public MlReportInput Input { get; }

    public IReadOnlyList<WindowResult> Windows => Input.Monitoring.Windows;

    /// <summary>One label a window, by its start: <c>2024-01</c> when every window is a calendar month, else <c>2024-01-15</c>.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>The features that drifted in at least one window: most windows drifted first, then the highest relative score, then by name.</summary>
    public IReadOnlyList<string> DriftedFeatures { get; }

    public DateTimeOffset? ReferenceFrom { get; }

    public DateTimeOffset? ReferenceTo { get; }

    public double? ReferenceMeanScore { get; }

    public int FeatureCount => Input.Data.Features.Count;

    public static ReportDigest Of(MlReportInput input)
    {
        var windows = input.Monitoring.Windows;
        var monthly = windows.Count > 0 && windows.All(w =>
            w.Start.Day == 1 && w.Start.TimeOfDay == TimeSpan.Zero && w.End == w.Start.AddMonths(1));
        var labels = windows.Select(w => w.Start.ToString(monthly ? "yyyy-MM" : "yyyy-MM-dd", CultureInfo.InvariantCulture)).ToList();

        var drifted = windows
            .SelectMany(w => w.Data?.Features ?? [])
            .GroupBy(f => f.Feature, StringComparer.Ordinal)
            .Select(g => (Feature: g.Key, Windows: g.Count(f => f.Drifted), Highest: g.Max(Relative)))
            .Where(f => f.Windows > 0)
            .OrderByDescending(f => f.Windows).ThenByDescending(f => f.Highest).ThenBy(f => f.Feature, StringComparer.Ordinal)
            .Select(f => f.Feature)
            .ToList();

        var reference = input.Data.Reference;
        DateTimeOffset? from = reference.Count == 0 ? null : reference.Min(r => r.IndexTime);
        DateTimeOffset? to = reference.Count == 0 ? null : reference.Max(r => r.IndexTime);
        double? meanScore = input.Data.ReferenceScores.Count == 0 ? null : input.Data.ReferenceScores.Average();
        return new ReportDigest(input, labels, drifted, from, to, meanScore);
    }

    /// <summary>
    /// A drift score on one scale for every test, where 1 is the threshold and more is further into drift: a distance
    /// over its threshold; a p-value as log p / log threshold. At most <see cref="MaxRelative"/>.
    /// </summary>
    public static double Relative(FeatureDrift drift)
    {
        double relative;
        if (drift.Method.IsPValue())
        {
            relative = drift.Score <= 0 ? MaxRelative
                : drift.Score >= 1 || drift.Threshold <= 0 || drift.Threshold >= 1 ? 0
                : Math.Log(drift.Score) / Math.Log(drift.Threshold);
        }
        else
        {
            relative = drift.Threshold > 0 ? drift.Score / drift.Threshold : drift.Drifted ? MaxRelative : 0;
        }

        return double.IsNaN(relative) ? 0 : Math.Min(relative, MaxRelative);
    }

    /// <summary>A test's name in words.</summary>
    public static string MethodName(DriftMethod method) => method switch
    {
        DriftMethod.KolmogorovSmirnov => "Kolmogorov-Smirnov",
        DriftMethod.NormalisedWasserstein => "normalised Wasserstein distance",
        DriftMethod.ChiSquare => "chi-square",
        DriftMethod.JensenShannon => "Jensen-Shannon distance",
        DriftMethod.PopulationStability => "population stability index",
        _ => method.ToString(),
    };

    /// <summary>The column of <paramref name="feature"/> in the rows, or -1.</summary>
    public int ColumnOf(string feature)
    {
        var features = Input.Data.Features;
        for (var i = 0; i < features.Count; i++)
        {
            if (string.Equals(features[i].Name, feature, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The current rows inside <paramref name="window"/> (index time from its start, before its end).</summary>
    public IReadOnlyList<FeatureRow> RowsOf(WindowResult window) =>
        [.. Input.Data.Current.Where(r => r.IndexTime >= window.Start && r.IndexTime < window.End)];

    /// <summary>The latest window in which <paramref name="feature"/> drifted, or -1.</summary>
    public int LatestDriftOf(string feature)
    {
        for (var i = Windows.Count - 1; i >= 0; i--)
        {
            if (Windows[i].Data?.Features.Any(f => f.Drifted && string.Equals(f.Feature, feature, StringComparison.Ordinal)) == true)
            {
                return i;
            }
        }

        return -1;
    }

    public static string Date(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + "Z";

    public static string Number(double? value, string format = "0.000") =>
        value is { } v && double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "–";
}
