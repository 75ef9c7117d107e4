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
    /// The last <paramref name="months"/> calendar months (UTC) of index times up to the latest row whose label is known:
    /// [from, to) with <c>to</c> the first day of the month after that row; null when no row has a label yet.
    /// </summary>
    public static (DateTimeOffset From, DateTimeOffset To)? RecentWindow(IReadOnlyList<FeatureRow> rows, int months)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(months, 1);
        DateTimeOffset? latest = null;
        foreach (var row in rows)
        {
            if (row.Label is not null && (latest is null || row.IndexTime > latest))
            {
                latest = row.IndexTime;
            }
        }

        if (latest is not { } last)
        {
            return null;
        }

        var utc = last.UtcDateTime;
        var to = new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1);
        return (to.AddMonths(-months), to);
    }

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

        var why = string.Create(CultureInfo.InvariantCulture,
            $"{reason ?? "retraining after monitoring alerts"}: {monitored.Model} raised {monitored.Alerts.Count} alert(s) ({string.Join("; ", monitored.Alerts.Select(a => a.Reason))}); learning from {window.From:yyyy-MM-dd}..{window.To:yyyy-MM-dd}");
        return await runner.RunAsync(monitored.Spec, user, new PipelineRunOptions { From = window.From, To = window.To, Reason = why }, cancellationToken).ConfigureAwait(false);
    }
}
