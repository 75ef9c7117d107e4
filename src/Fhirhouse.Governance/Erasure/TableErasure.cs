namespace Fhirhouse.Governance.Erasure;

/// <summary>
/// One Delta table the patient was removed from: rows deleted, its version before and after, and what time travel lost
/// (data and change-data files vacuumed, log files removed, the earliest version still readable).
/// </summary>
public sealed record TableErasure(
    string Path,
    long RowsDeleted,
    long VersionBefore,
    long VersionAfter,
    IReadOnlyList<string> FilesVacuumed,
    int LogFilesRemoved,
    long? EarliestVersion);
