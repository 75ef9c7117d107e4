using System.Globalization;
using System.Text;
using Fhirhouse.Ml.Pipelines;

namespace Fhirhouse.Ml.Registry;

/// <summary>
/// A model version's card in Markdown, after Mitchell et al.'s model cards: intended use (the pipeline's description and
/// outcome), the lineage (pipeline revision, spec hashes, feature table version and the tables it was computed from,
/// code version, trainer and parameters, artifact hash), the training data, the holdout metrics overall and per
/// subgroup with the calibration curve, the gates with their reasons and every decision about the version.
/// </summary>
public static class ModelCard
{
    /// <summary>The card of <paramref name="model"/>, trained from <paramref name="spec"/>, with its <paramref name="decisions"/>.</summary>
    public static string Markdown(ModelVersion model, PipelineSpec spec, IReadOnlyList<ModelDecision> decisions)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(decisions);
        var c = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        void Line(string text) => s.Append(text).Append('\n');
        Line($"# Model card: {model}");
        Line("");
        Line("## Intended use");
        Line(spec.Description.Length > 0 ? spec.Description : "(no description in the pipeline spec)");
        Line("");
        Line(string.Create(c, $"Predicts, at each index row of the pipeline, the probability of the outcome (a row of `{spec.Features.Label.Source}`{(spec.Features.Label.Where is { } w ? " where `" + w + "`" : "")}) within {spec.Features.Label.HorizonDays} days{(spec.Features.Label.ExcludePrior ? ", for patients without it before" : "")}. Decision support, not a diagnosis: outputs are RiskAssessments for clinicians to weigh."));
        Line("");
        Line("## Lineage");
        Line(string.Create(c, $"- pipeline `{model.Model}` revision {model.PipelineRevision}, spec SHA-256 `{model.SpecHash}`"));
        Line(string.Create(c, $"- features: `{model.FeatureTable}` version {model.FeatureTableVersion} (spec SHA-256 `{model.FeatureSpecHash}`), computed from {string.Join(", ", model.Sources.Select(t => $"`{t.Table}` v{t.Version}"))}"));
        Line(string.Create(c, $"- code version `{model.CodeVersion}`; trainer {model.Training.Trainer}, {model.Training.Trees} trees, {model.Training.Leaves} leaves, learning rate {model.Training.LearningRate}, at least {model.Training.MinimumExampleCountPerLeaf} rows a leaf, seed {model.Training.Seed}"));
        Line($"- artifact `{model.Artifact}`, SHA-256 `{model.ArtifactSha256}`; registered {model.CreatedAt:yyyy-MM-dd HH:mm:ss}Z by {model.CreatedBy}");
        Line("");
        Line("## Training data");
        Line(string.Create(c, $"Index times from {model.Training.From:yyyy-MM-dd} to {model.Training.To:yyyy-MM-dd} (exclusive): {model.TrainingRows:N0} rows of {model.TrainingPatients:N0} patients for training, {model.HoldoutRows:N0} rows held out ({model.Training.Holdout:P0} of patients, by a hash of the seed and the patient). Features: {string.Join(", ", spec.Features.Features.Select(f => f.Name))}."));
        Line("");
        Line("## Holdout performance");
        Line("| group | rows | positive | AUROC | average precision | Brier | calibration error |");
        Line("|---|---:|---:|---:|---:|---:|---:|");
        void Row(string name, Evaluation.Performance p) =>
            Line(string.Create(c, $"| {name} | {p.Rows:N0} | {p.Positives:N0} | {p.Auroc:0.000} | {p.AveragePrecision:0.000} | {p.Brier:0.000} | {p.CalibrationError:0.000} |"));
        Row("overall", model.Holdout.Overall);
        foreach (var (name, group) in model.Holdout.Subgroups)
        {
            Row(name, group);
        }

        Line("");
        Line("Calibration (overall): " + string.Join("; ", model.Holdout.Overall.Calibration.Select(b => string.Create(c, $"predicted {b.Predicted:0.00} observed {b.Observed:0.00} ({b.Rows} rows)"))));
        Line("");
        Line($"## Gates: {(model.Gates.Passed ? "passed" : "failed")}");
        foreach (var failure in model.Gates.Failures)
        {
            Line("- FAILED: " + failure);
        }

        foreach (var pass in model.Gates.Passes)
        {
            Line("- " + pass);
        }

        Line("");
        Line("## Decisions");
        foreach (var d in decisions)
        {
            Line($"- {d.Time:yyyy-MM-dd HH:mm:ss}Z {d.Action}{(d.Alias is { } a ? " " + a : "")} by {d.DecidedBy}: {string.Join("; ", d.Reasons)}");
        }

        return s.ToString();
    }
}
