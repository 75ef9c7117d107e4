using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Fhirhouse.Delta;
using Fhirhouse.Errors;
using Fhirhouse.Ml.Features;
using Fhirhouse.Ml.Pipelines;
using Fhirhouse.Ml.Registry;
using Fhirhouse.Ml.Training;
using Fhirhouse.Query;
using Fhirhouse.Storage;

namespace Fhirhouse.Ml.Monitoring;

/// <summary>What a monitoring run saw: the model and spec, the rows compared, the windows, the alerts, and the versions read and written.</summary>
public sealed record MonitorRun(
    ModelVersion Model,
    PipelineSpec Spec,
    MonitorInput Input,
    MonitoringReport Report,
    IReadOnlyList<Alert> Alerts,
    long FeatureTableVersion,
    long MonitoringVersion);

/// <summary>
/// Watches a model version on the lake. The reference is the model's own holdout: its rows in the training window, re-read
/// by time travel at the feature table version it learned from, scored by the model (out of sample, so the label-free
/// estimate's calibrator is fitted on honest scores). The current rows are the feature table's rows (rebuilt first by
/// default) from the end of the training window, scored by the same model, in calendar windows
/// (<see cref="WindowMonitor"/>); <see cref="Alerts"/> decides. Every window's checks are written to <c>ml.monitoring</c>,
/// one row per check, replaced when the same model version and window are monitored again.
/// </summary>
public sealed class ModelMonitor(IObjectStore lake, QueryEngine engine, TimeProvider time, DeltaTableOptions? tableOptions = null)
{
    /// <summary>Monitors <paramref name="model"/> (computing <paramref name="spec"/>'s features) over index times in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public async Task<MonitorRun> RunAsync(
        PipelineSpec spec, ModelVersion model, DateTimeOffset? from = null, DateTimeOffset? to = null, bool rebuildFeatures = true,
        MonitorOptions? options = null, AlertRules? rules = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(model);
        options ??= new MonitorOptions();
        if (!string.Equals(model.FeatureSpecHash, spec.Features.Hash, StringComparison.Ordinal))
        {
            throw new FhirhouseException(ErrorCodes.ModelRefused, ErrorKind.Usage,
                $"{model} learned the features of spec {model.FeatureSpecHash[..12]}, and the pipeline '{spec.Name}' now computes {spec.Features.Hash[..12]}: monitor it with the pipeline revision it was trained from (revision {model.PipelineRevision}).");
        }

        var (trained, _) = await FeatureRows.ReadAsync(engine, spec.Features, model.FeatureTableVersion, model.Training.From, model.Training.To, cancellationToken).ConfigureAwait(false);
        var reference = trained.Where(r => ModelTrainer.IsHoldout(r.PatientId, model.Training)).ToList();
        long? version = null;
        if (rebuildFeatures)
        {
            version = (await new FeatureBuilder(lake, engine, tableOptions).BuildAsync(spec.Features, cancellationToken: cancellationToken).ConfigureAwait(false)).Version;
        }

        var (current, read) = await FeatureRows.ReadAsync(engine, spec.Features, version, from ?? model.Training.To, to, cancellationToken).ConfigureAwait(false);
        if (current.Count == 0)
        {
            throw new FhirhouseException(ErrorCodes.ModelRefused, ErrorKind.Usage,
                $"No rows of {spec.Features.TableName} v{read} have an index time in [{(from ?? model.Training.To):yyyy-MM-dd}, {(to is { } t ? t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "now")}): nothing to monitor yet.");
        }

        var scorer = await new ModelRegistry(lake, time, tableOptions).LoadAsync(model, cancellationToken).ConfigureAwait(false);
        var input = new MonitorInput(spec.Features.Features, reference, scorer.Score(reference), current, scorer.Score(current));
        var report = WindowMonitor.Run(input, options);
        var alerts = Alerts.Evaluate(report, rules);
        var written = await WriteAsync(model, spec.Features.TableName, read, report, options, cancellationToken).ConfigureAwait(false);
        return new MonitorRun(model, spec, input, report, alerts, read, written);
    }

    private async Task<long> WriteAsync(ModelVersion model, string featureTable, long featureTableVersion, MonitoringReport report, MonitorOptions options, CancellationToken cancellationToken)
    {
        var at = time.GetUtcNow();
        var rows = new List<object?[]>();
        void Add(WindowResult w, string check, string? feature, string? method, double? score, double? threshold, bool? drifted, string? detail)
        {
            var id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f',
                model.Model, model.Version.ToString(CultureInfo.InvariantCulture), w.Start.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), check, feature ?? ""))));
            rows.Add([
                id, model.Model, model.Version, w.Start, w.End, check, feature, method, Finite(score), Finite(threshold), drifted, detail,
                (long)w.Rows, (long)w.LabelledRows, (long)w.Positives, featureTable, featureTableVersion, (long)report.ReferenceRows, at,
            ]);
        }

        foreach (var w in report.Windows)
        {
            if (w.Skipped is { } skipped)
            {
                Add(w, MonitoringChecks.Skipped, null, null, null, null, null, skipped);
                continue;
            }

            if (w.Data is { } data)
            {
                Add(w, MonitoringChecks.Dataset, null, null, data.Share, options.Drift.DatasetShare, data.Drifted,
                    $"{data.Features.Count(f => f.Drifted)} of {data.Features.Count} features drifted");
                foreach (var f in data.Features)
                {
                    Add(w, MonitoringChecks.Feature, f.Feature, Method(f.Method), f.Score, f.Threshold, f.Drifted, double.IsFinite(f.Score) ? null : "no value of the feature in this window");
                }
            }

            if (w.Prediction is { } p)
            {
                Add(w, MonitoringChecks.Prediction, null, Method(p.Method), p.Score, p.Threshold, p.Drifted, null);
            }

            if (w.DomainAuroc is { } domain)
            {
                Add(w, MonitoringChecks.DomainClassifier, null, "auroc", domain, options.DomainThreshold(report.ReferenceRows, w.Rows), w.MultivariateDrift, null);
            }

            Add(w, MonitoringChecks.EstimatedAuroc, null, "cbpe", w.EstimatedAuroc, report.ReferenceAuroc, null, null);
            Add(w, MonitoringChecks.RealisedAuroc, null, "auroc", w.RealisedAuroc, report.ReferenceAuroc, null, w.RealisedAuroc is null ? "labels not known yet (or one outcome only)" : null);
            Add(w, MonitoringChecks.MeanScore, null, "mean", w.MeanScore, null, null, null);
        }

        var table = await MlTables.Monitoring.OpenOrCreateAsync(lake, tableOptions ?? new DeltaTableOptions(), cancellationToken).ConfigureAwait(false);
        return (await table.MergeAsync(rows, ["monitor_id"], cancellationToken).ConfigureAwait(false)).Version;
    }

    /// <summary>A figure as stored: an infinite distance (a window without any value of the feature) is stored as null, its detail saying why.</summary>
    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;

    private static string Method(Statistics.DriftMethod method) => method switch
    {
        Statistics.DriftMethod.KolmogorovSmirnov => "ks",
        Statistics.DriftMethod.NormalisedWasserstein => "wasserstein",
        Statistics.DriftMethod.ChiSquare => "chi-square",
        Statistics.DriftMethod.JensenShannon => "jensen-shannon",
        Statistics.DriftMethod.PopulationStability => "psi",
        _ => method.ToString(),
    };
}

/// <summary>The <c>check</c> column of <c>ml.monitoring</c>.</summary>
public static class MonitoringChecks
{
    /// <summary>The window had too few rows to test; <c>detail</c> says why.</summary>
    public const string Skipped = "skipped";

    /// <summary>Dataset drift: <c>score</c> the share of drifted features, <c>threshold</c> the share that makes it drift.</summary>
    public const string Dataset = "dataset";

    /// <summary>One feature's drift test: <c>method</c>, <c>score</c> (a p-value or a distance), <c>threshold</c>.</summary>
    public const string Feature = "feature";

    /// <summary>Prediction drift: the model's scores tested like a numeric feature.</summary>
    public const string Prediction = "prediction";

    /// <summary>Multivariate drift: the cross-validated AUROC of a classifier telling reference from window.</summary>
    public const string DomainClassifier = "domain-classifier";

    /// <summary>The label-free (CBPE) estimate of the window's AUROC; <c>threshold</c> holds the reference AUROC.</summary>
    public const string EstimatedAuroc = "estimated-auroc";

    /// <summary>The window's AUROC over the rows whose labels are known; <c>threshold</c> holds the reference AUROC.</summary>
    public const string RealisedAuroc = "realised-auroc";

    /// <summary>The mean score.</summary>
    public const string MeanScore = "mean-score";
}
