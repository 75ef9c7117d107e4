using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Fhirhouse.Ml.Evaluation;
using Fhirhouse.Ml.Monitoring;
using Fhirhouse.Ml.Registry;
using Fhirhouse.Ml.Statistics;

namespace Fhirhouse.Ml.Reporting;

/// <summary>
/// The report as JSON: camelCase, indented, numbers invariant and round-trip, a number that is not finite as null. Text is
/// escaped only where JSON requires it (the file is read as JSON, never pasted into a page), so reasons stay readable.
/// </summary>
internal static class ReportJson
{
    public static string Write(ReportDigest digest)
    {
        var input = digest.Input;
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("model", input.Model);
            w.WriteString("generatedAt", input.GeneratedAt);
            w.WriteString("summary", ReportSummary.Of(digest));
            w.WritePropertyName("monitored");
            Version(w, input.Monitored);

            w.WriteStartObject("reference");
            w.WriteNumber("rows", input.Monitoring.ReferenceRows);
            Time(w, "from", digest.ReferenceFrom);
            Time(w, "to", digest.ReferenceTo);
            Number(w, "auroc", input.Monitoring.ReferenceAuroc);
            Number(w, "meanScore", digest.ReferenceMeanScore);
            w.WriteEndObject();

            w.WriteStartArray("features");
            foreach (var f in input.Data.Features)
            {
                w.WriteStartObject();
                w.WriteString("name", f.Name);
                w.WriteBoolean("categorical", f.Categorical);
                w.WriteBoolean("drifted", digest.DriftedFeatures.Contains(f.Name, StringComparer.Ordinal));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            Number(w, "datasetThreshold", input.DatasetThreshold);

            w.WriteStartArray("windows");
            for (var i = 0; i < digest.Windows.Count; i++)
            {
                Window(w, digest.Windows[i], digest.Labels[i]);
            }

            w.WriteEndArray();

            w.WriteStartArray("alerts");
            foreach (var a in input.Alerts)
            {
                w.WriteStartObject();
                w.WriteString("window", a.Window);
                w.WriteString("rule", a.Rule);
                w.WriteString("reason", a.Reason);
                Strings(w, "features", a.Features);
                w.WriteEndObject();
            }

            w.WriteEndArray();

            w.WriteStartArray("decisions");
            foreach (var d in input.Decisions)
            {
                w.WriteStartObject();
                w.WriteString("time", d.Time);
                w.WriteString("model", d.Model);
                w.WriteNumber("version", d.Version);
                w.WriteString("action", d.Action);
                NullableString(w, "alias", d.Alias);
                if (d.PreviousVersion is { } previous)
                {
                    w.WriteNumber("previousVersion", previous);
                }
                else
                {
                    w.WriteNull("previousVersion");
                }

                Strings(w, "reasons", d.Reasons);
                w.WriteString("decidedBy", d.DecidedBy);
                w.WriteEndObject();
            }

            w.WriteEndArray();

            w.WriteStartArray("versions");
            foreach (var v in input.Versions)
            {
                Version(w, v);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Window(Utf8JsonWriter w, WindowResult window, string label)
    {
        w.WriteStartObject();
        w.WriteString("label", label);
        w.WriteString("start", window.Start);
        w.WriteString("end", window.End);
        NullableString(w, "skipped", window.Skipped);
        w.WriteNumber("rows", window.Rows);
        w.WriteNumber("labelledRows", window.LabelledRows);
        w.WriteNumber("positives", window.Positives);
        Number(w, "meanScore", window.MeanScore);
        Number(w, "estimatedAuroc", window.EstimatedAuroc);
        Number(w, "realisedAuroc", window.RealisedAuroc);
        Number(w, "realisedBrier", window.RealisedBrier);
        Number(w, "domainAuroc", window.DomainAuroc);
        if (window.MultivariateDrift is { } multivariate)
        {
            w.WriteBoolean("multivariateDrift", multivariate);
        }
        else
        {
            w.WriteNull("multivariateDrift");
        }

        if (window.Data is { } data)
        {
            w.WriteStartObject("data");
            w.WriteBoolean("drifted", data.Drifted);
            Number(w, "share", data.Share);
            w.WriteNumber("driftedFeatures", data.Features.Count(f => f.Drifted));
            w.WriteStartArray("features");
            foreach (var f in data.Features)
            {
                Drift(w, f);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }
        else
        {
            w.WriteNull("data");
        }

        if (window.Prediction is { } prediction)
        {
            w.WritePropertyName("prediction");
            Drift(w, prediction);
        }
        else
        {
            w.WriteNull("prediction");
        }

        w.WriteEndObject();
    }

    private static void Drift(Utf8JsonWriter w, FeatureDrift drift)
    {
        w.WriteStartObject();
        w.WriteString("feature", drift.Feature);
        w.WriteString("method", JsonNamingPolicy.CamelCase.ConvertName(drift.Method.ToString()));
        Number(w, "score", drift.Score);
        Number(w, "threshold", drift.Threshold);
        w.WriteBoolean("drifted", drift.Drifted);
        Number(w, "relative", ReportDigest.Relative(drift));
        w.WriteEndObject();
    }

    private static void Version(Utf8JsonWriter w, ModelVersion v)
    {
        w.WriteStartObject();
        w.WriteString("model", v.Model);
        w.WriteNumber("version", v.Version);
        w.WriteString("createdAt", v.CreatedAt);
        w.WriteString("createdBy", v.CreatedBy);
        w.WriteNumber("pipelineRevision", v.PipelineRevision);
        w.WriteString("specHash", v.SpecHash);
        w.WriteString("featureSpecHash", v.FeatureSpecHash);
        w.WriteString("featureTable", v.FeatureTable);
        w.WriteNumber("featureTableVersion", v.FeatureTableVersion);
        w.WriteStartArray("sources");
        foreach (var s in v.Sources)
        {
            w.WriteStartObject();
            w.WriteString("table", s.Table);
            w.WriteNumber("version", s.Version);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteString("codeVersion", v.CodeVersion);
        w.WriteString("trainer", v.Training.Trainer);
        w.WriteString("trainingFrom", v.Training.From);
        w.WriteString("trainingTo", v.Training.To);
        w.WriteNumber("trainingRows", v.TrainingRows);
        w.WriteNumber("holdoutRows", v.HoldoutRows);
        w.WritePropertyName("holdout");
        Performance(w, v.Holdout.Overall);
        w.WriteBoolean("gatesPassed", v.Gates.Passed);
        w.WriteString("artifactSha256", v.ArtifactSha256);
        w.WriteEndObject();
    }

    private static void Performance(Utf8JsonWriter w, Performance p)
    {
        w.WriteStartObject();
        w.WriteNumber("rows", p.Rows);
        w.WriteNumber("positives", p.Positives);
        Number(w, "auroc", p.Auroc);
        Number(w, "averagePrecision", p.AveragePrecision);
        Number(w, "brier", p.Brier);
        Number(w, "calibrationError", p.CalibrationError);
        w.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void Time(Utf8JsonWriter w, string name, DateTimeOffset? value)
    {
        if (value is { } v)
        {
            w.WriteString(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static void NullableString(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    private static void Strings(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
        {
            w.WriteStringValue(value);
        }

        w.WriteEndArray();
    }
}
