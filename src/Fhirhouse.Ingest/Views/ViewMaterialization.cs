namespace Fhirhouse.Ingest.Views;

/// <summary>
/// What building or refreshing one view did: the bronze version it now reflects, the view table version, the resources
/// re-evaluated, the rows written and deleted, and the resources the view failed on (with the first error).
/// </summary>
public sealed record ViewMaterialization(
    string View,
    string Path,
    ViewMaterializationKind Kind,
    long BronzeVersion,
    long TableVersion,
    long Resources,
    long RowsWritten,
    long ResourcesReplaced,
    long Failures,
    string? FirstFailure);
