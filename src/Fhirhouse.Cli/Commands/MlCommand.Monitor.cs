using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Fhirhouse.Ml.Monitoring;
using Fhirhouse.Ml.Pipelines;
using Fhirhouse.Ml.Registry;
using Fhirhouse.Ml.Reporting;
using Fhirhouse.Ml.Statistics;

namespace Fhirhouse.Cli.Commands;

/// <summary><c>ml monitor</c> and <c>ml report</c>: windows of drift and (estimated) performance, alerts, gated retraining, the report.</summary>
internal static partial class MlCommand
{
    /// <summary>The options that say what is monitored and how.</summary>
    private sealed class MonitorOptionSet
    {
        public Option<string?> From { get; } = new("--from") { Description = "Monitor index times from this date (default: the end of the model's training window)." };

        public Option<string?> To { get; } = new("--to") { Description = "Monitor index times before this date (default: all)." };

        public Option<bool> NoRebuild { get; } = new("--no-rebuild") { Description = "Monitor the feature table as it is, without rebuilding it from the lake first." };

        public Option<int> WindowMonths { get; } = new("--window-months") { Description = "Calendar months per window.", DefaultValueFactory = _ => 1 };

        public Option<double> DatasetShare { get; } = new("--dataset-share") { Description = "The share of drifted features at which a window's dataset drifts (Evidently's default).", DefaultValueFactory = _ => 0.5 };

        public Option<int> DriftWindows { get; } = new("--drift-windows") { Description = "Alert when the dataset drifts in this many consecutive windows.", DefaultValueFactory = _ => 2 };

        public Option<double> MaxAurocDrop { get; } = new("--max-auroc-drop") { Description = "Alert when the estimated or realised AUROC falls more than this below the reference's.", DefaultValueFactory = _ => 0.05 };

        public Option<int> MinWindowRows { get; } = new("--min-window-rows") { Description = "Windows with fewer rows are reported, not tested.", DefaultValueFactory = _ => 100 };

        public IEnumerable<Option> All => [From, To, NoRebuild, WindowMonths, DatasetShare, DriftWindows, MaxAurocDrop, MinWindowRows];

        public MonitorOptions Options(ParseResult parse) => new()
        {
            WindowMonths = parse.GetValue(WindowMonths),
            Drift = new DriftOptions { DatasetShare = parse.GetValue(DatasetShare) },
            MinWindowRows = parse.GetValue(MinWindowRows),
        };

        public AlertRules Rules(ParseResult parse) => new()
        {
            DatasetDriftWindows = parse.GetValue(DriftWindows),
            MaxEstimatedAurocDrop = parse.GetValue(MaxAurocDrop),
            MaxRealisedAurocDrop = parse.GetValue(MaxAurocDrop),
        };

        public async Task<MonitorRun> RunAsync(ParseResult parse, CliContext context, MlWork work, ModelVersion chosen, CancellationToken cancellationToken)
        {
            var registry = new ModelRegistry(work.Session.Store.Objects, context.Time);
            var (spec, _) = (await registry.GetPipelineAsync(chosen.Model, chosen.PipelineRevision, cancellationToken).ConfigureAwait(false))!.Value;
            return await new ModelMonitor(work.Session.Store.Objects, work.Engine, context.Time).RunAsync(
                spec, chosen, Date(parse.GetValue(From), "--from"), Date(parse.GetValue(To), "--to"), !parse.GetValue(NoRebuild), Options(parse), Rules(parse), cancellationToken).ConfigureAwait(false);
        }
    }

    private static Command Monitor(CliContext context)
    {
        var shared = new Shared();
        var set = new MonitorOptionSet();
        var (model, version, alias) = ModelOptions();
        var retrain = new Option<bool>("--retrain") { Description = "On alerts, retrain on the most recent months with known outcomes through the pipeline's gates; the challenger replaces the champion only if it beats it." };
        var retrainMonths = new Option<int>("--retrain-months") { Description = "Months of recent data a retraining learns from.", DefaultValueFactory = _ => 12 };
        var report = new Option<string?>("--report") { Description = "Also write the HTML report to this file (and its JSON beside it, .json)." };
        var command = new Command("monitor", "Monitor a model version (champion by default) window by window: data drift per feature and of the dataset, multivariate and prediction drift, realised and label-free estimated AUROC, into ml.monitoring; alerts; gated retraining.");
        command.Arguments.Add(model);
        foreach (var option in set.All.Concat([version, alias, retrain, retrainMonths, report]))
        {
            command.Options.Add(option);
        }

        shared.AddTo(command);
        command.SetAction((parse, cancellationToken) => shared.ExecuteAsync(parse, context, MlAccess.Manage, $"ml monitor {parse.GetValue(model)}", [.. MlTables.All.Select(t => t.Name)], async (work, ct) =>
        {
            var registry = new ModelRegistry(work.Session.Store.Objects, context.Time);
            var chosen = await registry.GetAsync(parse.GetValue(model)!, parse.GetValue(version), parse.GetValue(alias)!, ct).ConfigureAwait(false);
            var started = context.Time.GetTimestamp();
            var run = await set.RunAsync(parse, context, work, chosen, ct).ConfigureAwait(false);
            var seconds = context.Time.GetElapsedTime(started).TotalSeconds;
            PipelineRun? retrained = null;
            if (parse.GetValue(retrain))
            {
                retrained = await Retraining.RetrainAsync(new PipelineRunner(work.Session.Store.Objects, work.Engine, context.Time), run, work.Session.Identity.User, parse.GetValue(retrainMonths), cancellationToken: ct).ConfigureAwait(false);
            }

            if (parse.GetValue(report) is { } file)
            {
                await WriteReportAsync(context, registry, run, set.Options(parse), file, ct).ConfigureAwait(false);
            }

            WriteMonitor(context, run, retrained, work.Json);
            context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ml monitor: {run.Input.Current.Count} rows in {run.Report.Windows.Count} windows against {run.Input.Reference.Count} reference rows in {seconds:F1} s; ml.monitoring v{run.MonitoringVersion}"));
            return run.Report.Windows.Count;
        }, cancellationToken));
        return command;
    }

    private static Command Report(CliContext context)
    {
        var shared = new Shared();
        var set = new MonitorOptionSet();
        var (model, version, alias) = ModelOptions();
        var output = new Option<string>("--out", "-o") { Description = "The HTML report to write (its JSON is written beside it, .json).", Required = true };
        var command = new Command("report", "Monitor a model version and write the report: an HTML page for people (figures of drift, distributions, performance and estimated performance over time, the decisions with their reasons) and the same as JSON.");
        command.Arguments.Add(model);
        foreach (var option in set.All.Concat([version, alias, output]))
        {
            command.Options.Add(option);
        }

        shared.AddTo(command);
        command.SetAction((parse, cancellationToken) => shared.ExecuteAsync(parse, context, MlAccess.Manage, $"ml report {parse.GetValue(model)}", [.. MlTables.All.Select(t => t.Name)], async (work, ct) =>
        {
            var registry = new ModelRegistry(work.Session.Store.Objects, context.Time);
            var chosen = await registry.GetAsync(parse.GetValue(model)!, parse.GetValue(version), parse.GetValue(alias)!, ct).ConfigureAwait(false);
            var run = await set.RunAsync(parse, context, work, chosen, ct).ConfigureAwait(false);
            var (html, json) = await WriteReportAsync(context, registry, run, set.Options(parse), parse.GetValue(output)!, ct).ConfigureAwait(false);
            context.Out.WriteLine(work.Json
                ? JsonSerializer.Serialize(new { model = chosen.Model, version = chosen.Version, html, json, windows = run.Report.Windows.Count, alerts = run.Alerts.Count }, s_json)
                : $"{chosen} report: {html} and {json} ({run.Report.Windows.Count} windows, {run.Alerts.Count} alerts)");
            return run.Report.Windows.Count;
        }, cancellationToken));
        return command;
    }

    /// <summary>Writes the HTML report and its JSON beside it; returns both paths.</summary>
    private static async Task<(string Html, string Json)> WriteReportAsync(CliContext context, ModelRegistry registry, MonitorRun run, MonitorOptions options, string file, CancellationToken cancellationToken)
    {
        var input = await MlReport.InputAsync(run, registry, context.Time.GetUtcNow(), options.Drift.DatasetShare, cancellationToken).ConfigureAwait(false);
        return await MlReport.WriteAsync(input, Path.GetFullPath(file), cancellationToken).ConfigureAwait(false);
    }

    private static void WriteMonitor(CliContext context, MonitorRun run, PipelineRun? retrained, bool json)
    {
        if (json)
        {
            context.Out.WriteLine(JsonSerializer.Serialize(new
            {
                model = run.Model.Model, version = run.Model.Version, featureTable = run.Spec.Features.TableName, featureTableVersion = run.FeatureTableVersion,
                monitoringVersion = run.MonitoringVersion, referenceRows = run.Report.ReferenceRows, referenceAuroc = run.Report.ReferenceAuroc,
                windows = run.Report.Windows.Select(w => new
                {
                    start = w.Start, end = w.End, rows = w.Rows, labelledRows = w.LabelledRows, positives = w.Positives, skipped = w.Skipped,
                    datasetDrift = w.Data?.Drifted, driftedShare = w.Data?.Share,
                    drifted = w.Data?.Features.Where(f => f.Drifted).Select(f => f.Feature),
                    predictionDrift = w.Prediction?.Drifted, domainAuroc = w.DomainAuroc, multivariateDrift = w.MultivariateDrift,
                    estimatedAuroc = w.EstimatedAuroc, realisedAuroc = w.RealisedAuroc, meanScore = w.MeanScore,
                }),
                alerts = run.Alerts,
                retrained = retrained is null ? null : new { version = retrained.Model.Version, gatesPassed = retrained.Gates.Passed, decision = retrained.Decision },
            }, s_json));
            return;
        }

        var r = run.Report;
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{run.Model} on {run.Spec.Features.TableName} v{run.FeatureTableVersion}: reference {r.ReferenceRows:N0} holdout rows of its training window (AUROC {r.ReferenceAuroc:0.000}); {run.Input.Current.Count:N0} rows in {r.Windows.Count} windows"));
        foreach (var w in r.Windows)
        {
            var label = WindowMonitor.Label(w.Start, w.End);
            if (w.Skipped is { } skipped)
            {
                context.Out.WriteLine($"  {label}  {skipped}");
                continue;
            }

            var data = w.Data!;
            var drifted = Alerts.MostDriftedFirst(data).Select(Describe).ToList();
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {label}  rows {w.Rows,6:N0}  drift {data.Features.Count(f => f.Drifted)}/{data.Features.Count}{(data.Drifted ? " DATASET" : "")}  prediction {(w.Prediction!.Drifted ? "drift" : "ok")}  domain AUROC {Figure(w.DomainAuroc)}  est. AUROC {Figure(w.EstimatedAuroc)}  realised {Figure(w.RealisedAuroc)} ({w.LabelledRows:N0} labelled){(drifted.Count > 0 ? "  [" + string.Join(", ", drifted) + "]" : "")}"));
        }

        context.Out.WriteLine(run.Alerts.Count == 0 ? "No alert." : $"Alerts ({run.Alerts.Count}):");
        foreach (var alert in run.Alerts)
        {
            context.Out.WriteLine($"  {alert.Window:yyyy-MM} {alert.Rule}: {alert.Reason}");
        }

        if (retrained is not null)
        {
            context.Out.WriteLine("Retraining:");
            WriteRun(context, retrained, json: false);
        }
    }

    private static string Describe(FeatureDrift f) => double.IsFinite(f.Score)
        ? string.Create(CultureInfo.InvariantCulture, $"{f.Feature} {f.Score:0.###}")
        : $"{f.Feature} no values";

    private static string Figure(double? value) => value is { } v ? v.ToString("0.000", CultureInfo.InvariantCulture) : "-";
}
