using System.Globalization;
using Fhirhouse.Ml.Features;
using Fhirhouse.Ml.Pipelines;

namespace Fhirhouse.Ml.Monitoring;

/// <summary>
/// Retraining after alerts, through the same gated pipeline: a challenger learns from the most recent months whose
/// outcomes are known, must pass its gates, and replaces the champion only if it beats it on its own (recent) holdout
/// with no subgroup worse beyond the bound (<see cref="PipelineRunner"/>). The decision carries the alerts as reasons.
/// </summary>
public static class Retraining
{
    /// <summary>
    /// The last <paramref name="months"/> calendar months (UTC) of index times whose outcomes are all known: [from, to)
    /// with <c>to</c> the first day of the month holding the first row whose label is still unknown (or the month after
    /// the latest row when every label is known); null when no row has a label yet.
    /// </summary>
    public static (DateTimeOffset From, DateTimeOffset To)? RecentWindow(IReadOnlyList<FeatureRow> rows, int months)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(months, 1);
        DateTimeOffset? firstUnknown = null, latest = null, firstKnown = null;
        foreach (var row in rows)
        {
            if (row.Label is null)
            {
                firstUnknown = firstUnknown is { } u && u <= row.IndexTime ? u : row.IndexTime;
            }
            else
            {
                firstKnown = firstKnown is { } k && k <= row.IndexTime ? k : row.IndexTime;
            }

            latest = latest is { } l && l >= row.IndexTime ? l : row.IndexTime;
        }

        if (firstKnown is not { } known)
        {
            return null;
        }

        var to = firstUnknown is { } unknown ? MonthOf(unknown) : MonthOf(latest!.Value).AddMonths(1);
        return to <= known ? null : (to.AddMonths(-months), to);
    }

    private static DateTimeOffset MonthOf(DateTimeOffset time) => new(time.UtcDateTime.Year, time.UtcDateTime.Month, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Retrains <paramref name="monitored"/>'s pipeline on its recent window when it raised alerts; null (nothing run)
    /// when it raised none or no outcome is known yet. <paramref name="reason"/> says why, with the alerts.
    /// </summary>
    public static async Task<PipelineRun?> RetrainAsync(
        PipelineRunner runner, MonitorRun monitored, string user, int months = 12, string? reason = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(monitored);
        if (monitored.Alerts.Count == 0 || RecentWindow(monitored.Input.Current, months) is not { } window)
        {
            return null;
        }

        var rules = monitored.Alerts.GroupBy(a => a.Rule, StringComparer.Ordinal)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} x{g.Count()} ({g.Min(a => a.Window):yyyy-MM}..{g.Max(a => a.Window):yyyy-MM})"));
        var why = string.Create(CultureInfo.InvariantCulture,
            $"{reason ?? "retraining after monitoring alerts"}: {monitored.Model} raised {monitored.Alerts.Count} alert(s): {string.Join(", ", rules)}; first: {monitored.Alerts.MinBy(a => a.Window)!.Reason}; learning from {window.From:yyyy-MM-dd} to {window.To:yyyy-MM-dd}");
        return await runner.RunAsync(monitored.Spec, user, new PipelineRunOptions { From = window.From, To = window.To, Reason = why }, cancellationToken).ConfigureAwait(false);
    }
}
