namespace Fhirhouse.Storage.Heads;

/// <summary>
/// What a table's head record says: the latest version committed, the SHA-256 (lowercase hex) of that commit file's
/// bytes, and the table's id (its Delta metadata id), so that a log replaced by another table's is told apart.
/// </summary>
public sealed record TableHead(long Version, string CommitSha256, string TableId);
