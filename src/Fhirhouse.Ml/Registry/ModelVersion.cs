using Fhirhouse.Ml.Features;
using Fhirhouse.Ml.Pipelines;
using Fhirhouse.Ml.Training;

namespace Fhirhouse.Ml.Registry;

/// <summary>
/// One registered model version and its lineage: the pipeline revision and hashes, the feature table and the version it
/// learned from (time travel re-reads exactly those rows), the tables and versions the features were computed from, the
/// code version, trainer and parameters, the training window and counts, the holdout evaluation, the gates and their
/// reasons, the input encoding and the artifact in the lake with its SHA-256.
/// </summary>
public sealed record ModelVersion(
    string Model,
    long Version,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    long PipelineRevision,
    string SpecHash,
    string FeatureSpecHash,
    string FeatureTable,
    long FeatureTableVersion,
    IReadOnlyList<SourceVersion> Sources,
    string CodeVersion,
    TrainingSpec Training,
    int TrainingRows,
    int TrainingPatients,
    int HoldoutRows,
    Evaluation.Evaluation Holdout,
    GateResult Gates,
    FeatureEncoding Encoding,
    string Artifact,
    string ArtifactSha256)
{
    /// <summary>"name v3".</summary>
    public override string ToString() => $"{Model} v{Version}";
}
