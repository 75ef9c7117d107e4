using Fhirhouse.Delta.Actions;

namespace Fhirhouse.Delta;

/// <summary>One commit of a table's history.</summary>
public sealed record CommitEntry(long Version, DateTimeOffset Timestamp, string? Operation, CommitInfo? CommitInfo, int FilesAdded, int FilesRemoved);
