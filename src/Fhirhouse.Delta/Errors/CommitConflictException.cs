using Fhirhouse.Delta.Actions;
using Fhirhouse.Errors;

namespace Fhirhouse.Delta;

/// <summary>
/// A concurrent commit at <see cref="Version"/> conflicts logically with this transaction (or the retries ran out);
/// <see cref="WinningCommit"/> is that commit's commitInfo when it had one. Transient: the operation may succeed on a
/// fresh snapshot.
/// </summary>
public sealed class CommitConflictException : FhirhouseException
{
    public CommitConflictException(long version, CommitInfo? winningCommit, string reason)
        : base(ErrorCodes.CommitConflict, ErrorKind.IO, $"Commit conflict at version {version} ({winningCommit?.Operation ?? "unknown operation"}): {reason}", isTransient: true)
    {
        Version = version;
        WinningCommit = winningCommit;
    }

    public long Version { get; }

    public CommitInfo? WinningCommit { get; }
}
