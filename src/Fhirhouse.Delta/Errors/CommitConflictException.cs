using Fhirhouse.Delta.Actions;

namespace Fhirhouse.Delta;

/// <summary>
/// A concurrent commit at <see cref="Version"/> conflicts logically with this transaction (or the retries ran out);
/// <see cref="WinningCommit"/> is that commit's commitInfo when it had one.
/// </summary>
public sealed class CommitConflictException : Exception
{
    public CommitConflictException(long version, CommitInfo? winningCommit, string reason)
        : base($"Commit conflict at version {version} ({winningCommit?.Operation ?? "unknown operation"}): {reason}")
    {
        Version = version;
        WinningCommit = winningCommit;
    }

    public long Version { get; }

    public CommitInfo? WinningCommit { get; }
}
