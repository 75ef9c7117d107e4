namespace Fhirhouse.Delta.Actions;

/// <summary>
/// The commitInfo action: provenance of a commit. <see cref="Json"/> keeps the whole object as written; the
/// properties are the fields this library reads and writes.
/// </summary>
public sealed record CommitInfo(
    long? Timestamp,
    string? Operation,
    IReadOnlyDictionary<string, string>? OperationParameters,
    long? ReadVersion,
    bool? IsBlindAppend,
    string? EngineInfo,
    string? TxnId,
    string? Json = null) : DeltaAction
{
    /// <summary>
    /// The SHA-256 (lowercase hex) of the previous commit file's bytes, written by this library in a lake that keeps
    /// table heads: the log is a hash chain (<c>previousCommitSha256</c>; other readers ignore the field).
    /// </summary>
    public string? PreviousCommitSha256 { get; init; }
}
