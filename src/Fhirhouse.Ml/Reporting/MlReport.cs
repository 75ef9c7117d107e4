using Fhirhouse.Ml.Monitoring;
using Fhirhouse.Ml.Registry;

namespace Fhirhouse.Ml.Reporting;

/// <summary>
/// A model's monitoring report, for people (<see cref="Html"/>) and for programs (<see cref="Json"/>): the drift of the
/// data and of the predictions over the windows, realised and estimated performance, the alerts, the decisions with
/// their reasons and the versions with their lineage. Both are functions of the input alone: the same input gives the
/// same text.
/// </summary>
public static class MlReport
{
    /// <summary>
    /// The report as indented camelCase JSON: summary, monitored version, reference, every window (counts, drift of the
    /// dataset and of each feature with its method, score, threshold and decision, prediction drift, estimated and
    /// realised performance, the reason a window was skipped), alerts, decisions with reasons, and every version with
    /// its lineage (feature table and version, spec hashes, sources) and holdout metrics. Numbers that are not finite are null.
    /// </summary>
    public static string Json(MlReportInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return ReportJson.Write(ReportDigest.Of(input));
    }

    /// <summary>
    /// The report as one self-contained HTML page (figures as inline PNG, no script, no external asset): header,
    /// summary sentence, alerts, figures of drift, performance, the drifted features' distributions and the mean score,
    /// the windows, the decisions and the versions. All text is HTML-encoded.
    /// </summary>
    public static string Html(MlReportInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return ReportHtml.Write(ReportDigest.Of(input));
    }

    /// <summary>The report's input for a monitoring run: its windows and alerts with every decision and version of the model from the registry.</summary>
    public static async Task<MlReportInput> InputAsync(MonitorRun run, ModelRegistry registry, DateTimeOffset generatedAt, double datasetThreshold, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(registry);
        return new MlReportInput(
            run.Model.Model, run.Model, run.Input, run.Report, run.Alerts,
            await registry.DecisionsAsync(run.Model.Model, cancellationToken).ConfigureAwait(false),
            await registry.ListAsync(run.Model.Model, cancellationToken).ConfigureAwait(false),
            generatedAt)
        {
            DatasetThreshold = datasetThreshold,
        };
    }

    /// <summary>Writes the HTML report to <paramref name="htmlPath"/> (its folder created) and its JSON beside it (.json); returns both paths.</summary>
    public static async Task<(string Html, string Json)> WriteAsync(MlReportInput input, string htmlPath, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        var json = Path.ChangeExtension(htmlPath, ".json");
        if (Path.GetDirectoryName(htmlPath) is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
        }

        await File.WriteAllTextAsync(htmlPath, Html(input), cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(json, Json(input), cancellationToken).ConfigureAwait(false);
        return (htmlPath, json);
    }
}
