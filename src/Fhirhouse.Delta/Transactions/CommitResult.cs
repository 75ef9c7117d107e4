namespace Fhirhouse.Delta.Transactions;

/// <summary>
/// What a write did: the version it committed, or <see cref="Skipped"/> when a txn showed the batch was already
/// committed (then <see cref="Version"/> is the table version seen).
/// </summary>
public sealed record CommitResult(long Version, bool Skipped, int FilesAdded, int FilesRemoved);
