using Fhirhouse.Delta.Schema;
using Fhirhouse.Lake;
using Fhirhouse.Lake.Tables;

namespace Fhirhouse.Ml.Registry;

/// <summary>
/// The registry's tables, declared once: <c>ml.pipelines</c> (every version of every pipeline spec, as stored),
/// <c>ml.models</c> (one row per registered model version: its lineage, metrics, gates and artifact) and
/// <c>ml.model_decisions</c> (every decision about a model with its reasons: registered, rejected, promoted, rolled back,
/// marked by an erasure). None holds a patient's data; the artifacts are under <see cref="LakeLayout.MlModels"/>.
/// </summary>
public static class MlTables
{
    /// <summary><c>ml.pipelines</c>.</summary>
    public static LakeTableDefinition Pipelines { get; } = new("ml.pipelines", LakeLayout.Ml + "pipelines", new StructType(
    [
        new StructField("pipeline", PrimitiveType.String, Nullable: false),
        new StructField("revision", PrimitiveType.Long, Nullable: false),
        new StructField("spec_hash", PrimitiveType.String, Nullable: false),
        new StructField("feature_spec_hash", PrimitiveType.String, Nullable: false),
        new StructField("spec", PrimitiveType.String, Nullable: false),
        new StructField("created_at", PrimitiveType.Timestamp, Nullable: false),
        new StructField("created_by", PrimitiveType.String, Nullable: false),
    ]));

    /// <summary><c>ml.models</c>.</summary>
    public static LakeTableDefinition Models { get; } = new("ml.models", LakeLayout.Ml + "models", new StructType(
    [
        new StructField("model", PrimitiveType.String, Nullable: false),
        new StructField("version", PrimitiveType.Long, Nullable: false),
        new StructField("created_at", PrimitiveType.Timestamp, Nullable: false),
        new StructField("created_by", PrimitiveType.String, Nullable: false),
        new StructField("pipeline_revision", PrimitiveType.Long, Nullable: false),
        new StructField("spec_hash", PrimitiveType.String, Nullable: false),
        new StructField("feature_spec_hash", PrimitiveType.String, Nullable: false),
        new StructField("feature_table", PrimitiveType.String, Nullable: false),
        new StructField("feature_table_version", PrimitiveType.Long, Nullable: false),
        new StructField("sources", PrimitiveType.String, Nullable: false),
        new StructField("code_version", PrimitiveType.String, Nullable: false),
        new StructField("trainer", PrimitiveType.String, Nullable: false),
        new StructField("parameters", PrimitiveType.String, Nullable: false),
        new StructField("train_from", PrimitiveType.Timestamp, Nullable: false),
        new StructField("train_to", PrimitiveType.Timestamp, Nullable: false),
        new StructField("training_rows", PrimitiveType.Long, Nullable: false),
        new StructField("training_patients", PrimitiveType.Long, Nullable: false),
        new StructField("holdout_rows", PrimitiveType.Long, Nullable: false),
        new StructField("auroc", PrimitiveType.Double),
        new StructField("average_precision", PrimitiveType.Double),
        new StructField("brier", PrimitiveType.Double),
        new StructField("metrics", PrimitiveType.String, Nullable: false),
        new StructField("gates_passed", PrimitiveType.Boolean, Nullable: false),
        new StructField("gate_reasons", PrimitiveType.String, Nullable: false),
        new StructField("encoding", PrimitiveType.String, Nullable: false),
        new StructField("artifact", PrimitiveType.String, Nullable: false),
        new StructField("artifact_sha256", PrimitiveType.String, Nullable: false),
    ]));

    /// <summary><c>ml.model_decisions</c>.</summary>
    public static LakeTableDefinition Decisions { get; } = new("ml.model_decisions", LakeLayout.Ml + "model_decisions", new StructType(
    [
        new StructField("time", PrimitiveType.Timestamp, Nullable: false),
        new StructField("model", PrimitiveType.String, Nullable: false),
        new StructField("version", PrimitiveType.Long, Nullable: false),
        new StructField("action", PrimitiveType.String, Nullable: false),
        new StructField("alias", PrimitiveType.String),
        new StructField("previous_version", PrimitiveType.Long),
        new StructField("reasons", PrimitiveType.String, Nullable: false),
        new StructField("decided_by", PrimitiveType.String, Nullable: false),
    ]));

    /// <summary>
    /// <c>ml.predictions</c>: one row per scored index row and model version (<c>prediction_id</c> names the pair, so
    /// scoring the same rows again replaces them), with the feature table version scored and the FHIR RiskAssessment
    /// landed for it. <c>patient_id</c> names the patient, so the policies and the erasure know the rows.
    /// </summary>
    public static LakeTableDefinition Predictions { get; } = new("ml.predictions", LakeLayout.Ml + "predictions", new StructType(
    [
        new StructField("prediction_id", PrimitiveType.String, Nullable: false),
        new StructField("model", PrimitiveType.String, Nullable: false),
        new StructField("model_version", PrimitiveType.Long, Nullable: false),
        new StructField("patient_id", PrimitiveType.String, Nullable: false),
        new StructField("index_time", PrimitiveType.Timestamp, Nullable: false),
        new StructField("index_id", PrimitiveType.String),
        new StructField("probability", PrimitiveType.Double, Nullable: false),
        new StructField("scored_at", PrimitiveType.Timestamp, Nullable: false),
        new StructField("feature_table", PrimitiveType.String, Nullable: false),
        new StructField("feature_table_version", PrimitiveType.Long, Nullable: false),
        new StructField("risk_assessment", PrimitiveType.String),
    ]));

    /// <summary>
    /// <c>ml.monitoring</c>: one row per check of a monitored window (<c>check</c>: see
    /// <c>Monitoring.MonitoringChecks</c>; <c>feature</c> for a feature's test), with the method, score, threshold and
    /// decision, the window's counts and the feature table version read. Aggregates only: no patient's row.
    /// </summary>
    public static LakeTableDefinition Monitoring { get; } = new("ml.monitoring", LakeLayout.Ml + "monitoring", new StructType(
    [
        new StructField("monitor_id", PrimitiveType.String, Nullable: false),
        new StructField("model", PrimitiveType.String, Nullable: false),
        new StructField("model_version", PrimitiveType.Long, Nullable: false),
        new StructField("window_start", PrimitiveType.Timestamp, Nullable: false),
        new StructField("window_end", PrimitiveType.Timestamp, Nullable: false),
        new StructField("check", PrimitiveType.String, Nullable: false),
        new StructField("feature", PrimitiveType.String),
        new StructField("method", PrimitiveType.String),
        new StructField("score", PrimitiveType.Double),
        new StructField("threshold", PrimitiveType.Double),
        new StructField("drifted", PrimitiveType.Boolean),
        new StructField("detail", PrimitiveType.String),
        new StructField("rows", PrimitiveType.Long, Nullable: false),
        new StructField("labelled_rows", PrimitiveType.Long, Nullable: false),
        new StructField("positives", PrimitiveType.Long, Nullable: false),
        new StructField("feature_table", PrimitiveType.String, Nullable: false),
        new StructField("feature_table_version", PrimitiveType.Long, Nullable: false),
        new StructField("reference_rows", PrimitiveType.Long, Nullable: false),
        new StructField("monitored_at", PrimitiveType.Timestamp, Nullable: false),
    ]));

    /// <summary>Every table of the registry and of scoring; the feature tables (<c>ml.features_NAME</c>) are found by their folder.</summary>
    public static IReadOnlyList<LakeTableDefinition> All { get; } = [Pipelines, Models, Decisions, Predictions, Monitoring];
}
