namespace Fhirhouse.Delta.Actions;

/// <summary>The cdc action: a file of change rows (column <c>_change_type</c>) written by this commit.</summary>
public sealed record AddCdcFile(
    string Path,
    IReadOnlyDictionary<string, string?> PartitionValues,
    long Size,
    bool DataChange,
    IReadOnlyDictionary<string, string?>? Tags = null) : DeltaAction;
