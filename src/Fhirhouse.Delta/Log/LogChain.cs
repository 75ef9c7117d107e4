using System.Security.Cryptography;
using Fhirhouse.Delta.Actions;
using Fhirhouse.Storage.Heads;

namespace Fhirhouse.Delta.Log;

/// <summary>
/// Follows a table's hash chain commit by commit (each commit's <c>previousCommitSha256</c> is the SHA-256 of the
/// commit before it) and checks the table's head record against what it followed. Pure: the caller reads the bytes.
/// </summary>
internal sealed class LogChain(string table)
{
    private readonly Dictionary<long, string> _hashes = [];

    /// <summary>The version of the last commit followed (-1 before the first).</summary>
    public long LastVersion { get; private set; } = -1;

    /// <summary>The SHA-256 of the last commit followed.</summary>
    public string? LastHash { get; private set; }

    /// <summary>True once a followed commit carried a link: every commit after it must carry one too.</summary>
    public bool Chained { get; private set; }

    /// <summary>The SHA-256 (lowercase hex) of a commit file's bytes, as links and head records name it.</summary>
    public static string Hash(ReadOnlySpan<byte> commit) => Convert.ToHexStringLower(SHA256.HashData(commit));

    /// <summary>A chain that continues from this one's last commit (for a later, incremental load).</summary>
    public LogChain Continue()
    {
        var next = new LogChain(table) { LastVersion = LastVersion, LastHash = LastHash, Chained = Chained };
        if (LastHash is not null)
        {
            next._hashes[LastVersion] = LastHash;
        }

        return next;
    }

    /// <summary>Follows commit <paramref name="version"/>; returns what is wrong with its link, or null.</summary>
    public string? Follow(long version, ReadOnlySpan<byte> bytes, CommitInfo? info)
    {
        var link = info?.PreviousCommitSha256;
        string? problem = null;
        if (link is not null && version == 0)
        {
            problem = "commit 0 names a previous commit (it was not written as this table's first commit)";
        }
        else if (link is not null && LastHash is not null && LastVersion == version - 1 && !string.Equals(link, LastHash, StringComparison.Ordinal))
        {
            problem = $"commits {version - 1} and {version} do not chain: one of them was replaced (by an older copy, or by a commit of another table)";
        }
        else if (link is null && Chained && LastVersion == version - 1)
        {
            problem = $"commit {version} carries no link to commit {version - 1}: it was not written by this lake's writer";
        }

        Chained |= link is not null;
        LastVersion = version;
        LastHash = Hash(bytes);
        _hashes[version] = LastHash;
        return problem;
    }

    /// <summary>
    /// What is wrong between the log (latest version <paramref name="latest"/>, table id <paramref name="tableId"/>) and
    /// its head record, or null. A head behind the log is not a problem (a writer stopped between its commit and its
    /// head record; the chain vouches for the commits after it); a head ahead of the log is.
    /// </summary>
    public string? CheckHead(TableHead? head, bool headsComplete, long latest, string tableId)
    {
        if (head is null)
        {
            return headsComplete && latest > 0
                ? $"it has no head record but its log has {latest + 1} versions (the head records were deleted, or the table was copied in)"
                : null;
        }

        if (head.Version > latest)
        {
            var deleted = head.Version == latest + 1 ? $"version {head.Version} was" : $"versions {latest + 1} to {head.Version} were";
            return $"its head record is at version {head.Version} but its log ends at version {latest}: {deleted} deleted (or the table was restored from a backup without its head records)";
        }

        if (!string.Equals(head.TableId, tableId, StringComparison.Ordinal))
        {
            return $"its log is another table's (table id {tableId}, the head record names {head.TableId}): the table's folder was replaced";
        }

        return _hashes.TryGetValue(head.Version, out var hash) && !string.Equals(hash, head.CommitSha256, StringComparison.Ordinal)
            ? $"commit {head.Version} is not the one its head record names: it was replaced"
            : null;
    }

    /// <summary>Throws <see cref="TableTamperedException"/> for a problem found.</summary>
    public void ThrowIf(string? problem)
    {
        if (problem is not null)
        {
            throw new TableTamperedException(table, problem);
        }
    }
}
