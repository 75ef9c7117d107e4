namespace Fhirhouse.Views;

/// <summary>
/// What building or refreshing one view did: the bronze version it now reflects, the view table version, the resources
/// re-evaluated, the rows written and deleted, the resources the view failed on (with the first error), and, per
/// column, the values stored as null because they do not fit their column's type (a number that overflows it such as
/// 1e999, text in a number column): their rows are kept.
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
    string? FirstFailure,
    IReadOnlyList<ViewColumnNulls> NulledColumns)
{
    /// <summary>The values stored as null because they do not fit their column's type, over all columns.</summary>
    public long ValuesNulled => NulledColumns.Sum(c => c.Values);
}
