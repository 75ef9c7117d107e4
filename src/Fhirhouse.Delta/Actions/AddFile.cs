namespace Fhirhouse.Delta.Actions;

/// <summary>The add action: a data file (path relative to the table and URL-encoded, or absolute URI) joins the table.</summary>
public sealed record AddFile(
    string Path,
    IReadOnlyDictionary<string, string?> PartitionValues,
    long Size,
    long ModificationTime,
    bool DataChange,
    string? Stats = null,
    IReadOnlyDictionary<string, string?>? Tags = null,
    DeletionVectorDescriptor? DeletionVector = null,
    long? BaseRowId = null,
    long? DefaultRowCommitVersion = null) : DeltaAction
{
    /// <summary>numRecords from the file's statistics, or null when the writer recorded none.</summary>
    public long? NumRecords => Scan.FileStatistics.NumRecordsOf(Stats);

    /// <summary>The key of the file in log replay: path and deletion vector id.</summary>
    public (string Path, string? DvId) Key => (Path, DeletionVector?.UniqueId);
}
