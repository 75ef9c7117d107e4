using System.Globalization;
using Fhirhouse.Governance.Audit;
using Fhirhouse.Governance.Enforcement;
using Fhirhouse.Governance.Policies;
using Fhirhouse.Ml.Monitoring;
using Fhirhouse.Ml.Pipelines;
using Fhirhouse.Ml.Registry;
using Fhirhouse.Ml.Reporting;
using Fhirhouse.Query;
using Fhirhouse.Governance.Identity;
using Fhirhouse.Storage;
using Fhirhouse.Synthetic;

namespace Fhirhouse.Cli.Commands;

/// <summary>
/// The demo's models: the shipped 1-year type 2 diabetes onset pipeline with the notes' family history (NLP) trained on the span's second year (the first is
/// the history its features look back on), monitored month by month to the end of the span, retrained on the months
/// since the drift started when it raises alerts (promoted only through the gates and against the champion), and the
/// report written beside the lake. Runs as a data scientist for operations, through the guard and the audit log.
/// </summary>
internal static class DemoModels
{
    /// <summary>The pipeline the demo runs.</summary>
    public const string Pipeline = "t2d_onset_1y_notes";

    /// <summary>Months a retraining learns from: the drift starts in the middle of the span, 18 months before the last outcomes are known in the default span.</summary>
    public const int RetrainMonths = 18;

    internal sealed record Result(string? Skipped, PipelineRun? First, MonitorRun? Monitor, PipelineRun? Retrained, string? Html, string? Json, double Seconds);

    public static async Task<Result> RunAsync(
        CliContext context, IObjectStore lake, LakeGovernance governance, PolicySet policies, AccessIdentity demo, HospitalOptions hospital, string folder, CancellationToken cancellationToken)
    {
        var started = context.Time.GetTimestamp();
        double Seconds() => context.Time.GetElapsedTime(started).TotalSeconds;
        if (hospital.ToYear - hospital.FromYear < 2)
        {
            return new Result($"the span {hospital.FromYear}-{hospital.ToYear} is too short: the models need a year of history, a year to train on and a year to monitor", null, null, null, null, null, Seconds());
        }

        var identity = demo with { Role = "data-scientist" };
        var tables = MlTables.All.Select(t => t.Name).ToList();
        await MlAccess.AuthorizeAsync(identity, policies, governance.Audit, MlAccess.Manage, "demo ml " + Pipeline, tables, cancellationToken).ConfigureAwait(false);
        var spec = ShippedPipelines.Get(Pipeline)!;
        var from = new DateTimeOffset(hospital.FromYear + 1, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var engine = new QueryEngine(lake, governance.QueryOptions(identity, EntryPoints.Demo, new QueryOptions { Catalog = LakeTables.Catalog(lake) }));
        var runner = new PipelineRunner(lake, engine, context.Time);
        PipelineRun first;
        try
        {
            first = await runner.RunAsync(spec, identity.User, new PipelineRunOptions
            {
                From = from,
                To = from.AddYears(1),
                Reason = string.Create(CultureInfo.InvariantCulture, $"demo: the first model, trained on {from.Year}"),
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Ml.MlSpecException e)
        {
            return new Result($"no model trained on {from.Year} ({e.Message}); a larger hospital (--patients) gives it more to learn from", null, null, null, null, null, Seconds());
        }

        if (first.Decision is not { Action: ModelActions.Promoted })
        {
            return new Result($"{first.Model} did not become champion ({string.Join("; ", first.Gates.Failures)}): nothing to monitor; a larger hospital (--patients) gives it more to learn from", first, null, null, null, null, Seconds());
        }

        MonitorRun monitor;
        try
        {
            monitor = await new ModelMonitor(lake, engine, context.Time).RunAsync(spec, first.Model, rebuildFeatures: false, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            return new Result($"{first.Model} cannot be monitored: {e.Message}", first, null, null, null, null, Seconds());
        }

        var retrained = await Retraining.RetrainAsync(runner, monitor, identity.User, RetrainMonths, "demo: retraining after monitoring alerts", cancellationToken).ConfigureAwait(false);
        var registry = new ModelRegistry(lake, context.Time);
        var input = await MlReport.InputAsync(monitor, registry, context.Time.GetUtcNow(), new Ml.Statistics.DriftOptions().DatasetShare, cancellationToken).ConfigureAwait(false);
        var (html, json) = await MlReport.WriteAsync(input, Path.Combine(folder, "ml-report.html"), cancellationToken).ConfigureAwait(false);
        await MlAccess.AppendAsync(governance.Audit, identity, "demo ml " + Pipeline, tables, monitor.Report.Windows.Count, AuditOutcomes.Ok, null, cancellationToken).ConfigureAwait(false);
        return new Result(null, first, monitor, retrained, html, json, Seconds());
    }

    /// <summary>The figures the demo's JSON summary holds.</summary>
    public static Dictionary<string, object?> Summary(Result result) => new()
    {
        ["skipped"] = result.Skipped,
        ["firstModel"] = result.First is { } f ? new { version = f.Model.Version, auroc = f.Model.Holdout.Overall.Auroc, gatesPassed = f.Gates.Passed, decision = f.Decision?.Action } : null,
        ["windows"] = result.Monitor?.Report.Windows.Count,
        ["driftedWindows"] = result.Monitor?.Report.Windows.Count(w => w.Data?.Drifted == true || w.MultivariateDrift == true),
        ["firstAlert"] = result.Monitor?.Alerts.MinBy(a => a.Window)?.Reason,
        ["alerts"] = result.Monitor?.Alerts.Count,
        ["retrained"] = result.Retrained is { } r ? new { version = r.Model.Version, auroc = r.Model.Holdout.Overall.Auroc, gatesPassed = r.Gates.Passed, decision = r.Decision?.Action, reasons = r.Decision?.Reasons } : null,
        ["report"] = result.Html,
        ["seconds"] = Math.Round(result.Seconds, 1),
    };

    /// <summary>The demo's text: what was trained, what monitoring saw, what the retraining decided, where the report is.</summary>
    public static void WriteText(CliContext context, Result result)
    {
        var o = context.Out;
        if (result.First is { } first)
        {
            var m = first.Model;
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{m} trained on {m.Training.From:yyyy-MM-dd}..{m.Training.To:yyyy-MM-dd} ({m.TrainingRows:N0} rows of {first.Features.Table} v{first.Features.Version}): holdout AUROC {m.Holdout.Overall.Auroc:0.000}, AUPRC {m.Holdout.Overall.AveragePrecision:0.000}, Brier {m.Holdout.Overall.Brier:0.000}; gates {(first.Gates.Passed ? "passed" : "failed")}; {first.Decision?.Action ?? "not promoted"}"));
        }

        if (result.Skipped is { } skipped)
        {
            o.WriteLine("Models: " + skipped);
            return;
        }

        var monitor = result.Monitor!;
        var windows = monitor.Report.Windows;
        var drifted = windows.FirstOrDefault(w => w.Data?.Features.Any(f => f.Drifted) == true || w.MultivariateDrift == true);
        o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Monitoring {windows.Count} monthly windows ({monitor.Input.Current.Count:N0} rows) against the model's holdout ({monitor.Report.ReferenceRows:N0} rows, AUROC {monitor.Report.ReferenceAuroc:0.000}); written to ml.monitoring v{monitor.MonitoringVersion}"));
        foreach (var group in monitor.Alerts.GroupBy(a => a.Rule, StringComparer.Ordinal))
        {
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {group.Key}: {group.Count()} windows from {group.Min(a => a.Window):yyyy-MM}; first: {group.MinBy(a => a.Window)!.Reason}"));
        }

        if (monitor.Alerts.Count == 0)
        {
            o.WriteLine("  no alert" + (drifted is null ? "" : $" (features drifted from {drifted.Start:yyyy-MM})"));
        }

        if (result.Retrained is { } retrained)
        {
            var m = retrained.Model;
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Retrained: {m} on {m.Training.From:yyyy-MM-dd}..{m.Training.To:yyyy-MM-dd} ({m.TrainingRows:N0} rows): holdout AUROC {m.Holdout.Overall.Auroc:0.000}; gates {(retrained.Gates.Passed ? "passed" : "failed: " + string.Join("; ", retrained.Gates.Failures))}"));
            if (retrained.Decision is { } decision)
            {
                var why = decision.Reasons.SkipWhile(r => !r.StartsWith("beats", StringComparison.Ordinal) && !r.StartsWith("does not", StringComparison.Ordinal) && !r.StartsWith("the champion", StringComparison.Ordinal)).Take(2);
                o.WriteLine($"Decision: {decision.Action}{(decision.Alias is { } a ? " " + a : "")}{(decision.PreviousVersion is { } p ? $" (was v{p})" : "")}: {string.Join("; ", why)}");
            }
        }

        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Report: {result.Html} (and {Path.GetFileName(result.Json)}); models in {result.Seconds:F1} s; 'fhirhouse ml models {Pipeline}' lists the versions and every decision with its reasons."));
    }
}
