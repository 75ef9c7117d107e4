using System.Globalization;
using Fhirhouse.Ml.Registry;

namespace Fhirhouse.Ml.Reporting;

/// <summary>
/// The report's summary in one sentence: since when the dataset drifts and in how many features, where the estimated
/// and realised AUROC went against the reference, prediction drift, skipped windows, alerts, and the latest decision
/// with its reasons.
/// </summary>
internal static class ReportSummary
{
    public static string Of(ReportDigest digest)
    {
        var c = CultureInfo.InvariantCulture;
        var windows = digest.Windows;
        var clauses = new List<string>();
        var monitoring = digest.Input.Monitoring;
        if (windows.Count == 0)
        {
            clauses.Add(string.Create(c, $"Nothing to monitor yet: no window of scored rows after the reference period ({monitoring.ReferenceRows:N0} reference rows)"));
        }
        else
        {
            var analysed = Enumerable.Range(0, windows.Count).Where(i => windows[i].Skipped is null).ToList();
            var drifted = analysed.Where(i => windows[i].Data?.Drifted == true).ToList();
            if (analysed.Count == 0)
            {
                clauses.Add(string.Create(c, $"Nothing analysed yet: {(windows.Count == 1 ? "the only window was" : $"all {windows.Count} windows were")} skipped (latest: {windows[^1].Skipped})"));
            }
            else if (drifted.Count > 0)
            {
                var latest = windows[drifted[^1]].Data!;
                var features = string.Create(c, $"{latest.Features.Count(f => f.Drifted)} of {latest.Features.Count} features");
                clauses.Add(drifted.Count == 1
                    ? string.Create(c, $"Dataset drift in {digest.Labels[drifted[0]]}, in {features} (1 of {analysed.Count} windows analysed)")
                    : string.Create(c, $"Dataset drift from {digest.Labels[drifted[0]]} in {features} (latest {digest.Labels[drifted[^1]]}; {drifted.Count} of {analysed.Count} windows drifted)"));
            }
            else
            {
                var most = analysed.Select(i => windows[i].Data?.Features.Count(f => f.Drifted) ?? 0).DefaultIfEmpty(0).Max();
                clauses.Add(string.Create(c, $"No dataset drift in {analysed.Count} windows (at most {most} of {digest.FeatureCount} features drifted in one)"));
            }

            var estimated = analysed.Where(i => windows[i].EstimatedAuroc is not null).ToList();
            var realised = analysed.Where(i => windows[i].RealisedAuroc is not null).ToList();
            if (estimated.Count > 0)
            {
                var last = windows[estimated[^1]];
                var change = last.EstimatedAuroc!.Value - monitoring.ReferenceAuroc;
                var moved = !double.IsFinite(change) ? string.Create(c, $"{last.EstimatedAuroc:0.00} (no reference AUROC)")
                    : Math.Abs(change) < 0.005 ? string.Create(c, $"held at {monitoring.ReferenceAuroc:0.00}")
                    : string.Create(c, $"{(change < 0 ? "fell" : "rose")} from {monitoring.ReferenceAuroc:0.00} to {last.EstimatedAuroc:0.00}");
                clauses.Add(last.RealisedAuroc is { } r
                    ? string.Create(c, $"estimated AUROC {moved} by {digest.Labels[estimated[^1]]} (realised {r:0.00})")
                    : $"estimated AUROC {moved} by {digest.Labels[estimated[^1]]} before labels arrived");
            }

            if (realised.Count > 0 && (estimated.Count == 0 || realised[^1] != estimated[^1]))
            {
                var last = windows[realised[^1]];
                clauses.Add(string.Create(c, $"realised AUROC {last.RealisedAuroc:0.00} in {digest.Labels[realised[^1]]} ({last.LabelledRows:N0} labelled rows; reference {ReportDigest.Number(monitoring.ReferenceAuroc, "0.00")})"));
            }

            var predictionDrift = analysed.Count(i => windows[i].Prediction?.Drifted == true);
            if (predictionDrift > 0)
            {
                clauses.Add(string.Create(c, $"prediction drift in {predictionDrift} of {analysed.Count} windows"));
            }

            var skipped = windows.Count - analysed.Count;
            if (skipped > 0 && analysed.Count > 0)
            {
                clauses.Add(string.Create(c, $"{skipped} {(skipped == 1 ? "window" : "windows")} skipped"));
            }
        }

        var alerts = digest.Input.Alerts;
        clauses.Add(alerts.Count == 0 ? "no alerts" : string.Create(c, $"{alerts.Count} {(alerts.Count == 1 ? "alert" : "alerts")}"));

        if (digest.Input.Decisions.Count > 0)
        {
            var decision = digest.Input.Decisions.Select((d, i) => (d, i)).OrderBy(x => x.d.Time).ThenBy(x => x.i).Last().d;
            var because = decision.Reasons.Count > 0 ? " because " + string.Join("; ", decision.Reasons) : "";
            clauses.Add(string.Create(c, $"v{decision.Version} {Action(decision)} on {ReportDigest.Date(decision.Time)}{because}"));
        }

        var sentence = string.Join("; ", clauses);
        return char.ToUpperInvariant(sentence[0]) + sentence[1..] + (sentence.EndsWith('.') ? "" : ".");
    }

    /// <summary>A decision's action in words: "promoted to champion", "rolled back to as champion".</summary>
    public static string Action(ModelDecision decision) => decision.Action switch
    {
        ModelActions.Promoted => decision.Alias is { } a ? $"promoted to {a}" : "promoted",
        ModelActions.RolledBack => decision.Alias is { } a ? $"restored as {a}" : "restored",
        ModelActions.Declined => "declined",
        ModelActions.Registered => "registered",
        ModelActions.Rejected => "rejected",
        ModelActions.ErasureMarked => "marked for retraining after an erasure",
        _ => decision.Action,
    };
}
