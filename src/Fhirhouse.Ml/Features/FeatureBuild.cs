namespace Fhirhouse.Ml.Features;

/// <summary>
/// One build of a feature table: its name and the version committed, the rows, patients and labels written (positive,
/// negative, not yet known), when labels were known until, the spec's hash and every lake table the features were
/// computed from with the version read (the lineage a model records).
/// </summary>
public sealed record FeatureBuild(
    string Table,
    long Version,
    long Rows,
    long Patients,
    long Positives,
    long Negatives,
    long Unlabelled,
    DateTimeOffset? LabelsKnownUntil,
    string SpecHash,
    IReadOnlyList<SourceVersion> Sources);

/// <summary>A lake table read at a version.</summary>
public sealed record SourceVersion(string Table, long Version);
