namespace Fhirhouse.Delta.Actions;

/// <summary>The remove action: a data file leaves the table (a tombstone kept until VACUUM).</summary>
public sealed record RemoveFile(
    string Path,
    long? DeletionTimestamp,
    bool DataChange,
    bool? ExtendedFileMetadata = null,
    IReadOnlyDictionary<string, string?>? PartitionValues = null,
    long? Size = null,
    IReadOnlyDictionary<string, string?>? Tags = null,
    DeletionVectorDescriptor? DeletionVector = null) : DeltaAction
{
    /// <summary>The key of the file in log replay: path and deletion vector id.</summary>
    public (string Path, string? DvId) Key => (Path, DeletionVector?.UniqueId);
}
