using Fhirhouse.Delta.Log;

namespace Fhirhouse.Delta;

/// <summary>VACUUM: deleting data files no version within the retention period still needs.</summary>
public sealed partial class DeltaTable
{
    /// <summary>
    /// Deletes files under the table that the latest snapshot does not reference and that were removed (and written)
    /// longer than <paramref name="retention"/> ago (default: the table's <c>delta.deletedFileRetentionDuration</c>,
    /// 7 days). Tables this library may not write (unknown writer features) are refused by name, as deleting files
    /// needs to know every feature that references them. A retention shorter than that is refused with <see cref="ArgumentOutOfRangeException"/> unless
    /// <paramref name="force"/>, since it can break time travel and readers of older snapshots.
    /// <paramref name="uncommittedGrace"/>: a file that neither the snapshot nor any of its tombstones names is kept while
    /// younger than this, whatever the retention: writers write their data files first and commit them after, so such a
    /// file may be one a concurrent writer is about to commit (files removed by a commit are not concerned, nor change
    /// data files, which no add or remove ever names: they go by the retention alone).
    /// </summary>
    public async Task<VacuumResult> VacuumAsync(TimeSpan? retention = null, bool force = false, bool dryRun = false, TimeSpan? uncommittedGrace = null, CancellationToken cancellationToken = default)
    {
        var snapshot = await GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        TableFeatures.EnsureWritable(snapshot.Protocol, snapshot.Metadata, Path);
        var configured = VacuumRetention.DeletedFileRetention(snapshot.Metadata);
        var keep = retention ?? configured;
        if (keep < configured && !force)
        {
            throw new ArgumentOutOfRangeException(nameof(retention), keep,
                $"VACUUM retention {keep} is shorter than the table's retention {configured}; pass force: true to vacuum anyway.");
        }

        var now = Options.TimeProvider.GetUtcNow();
        var horizon = now - keep;
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        var tombstoned = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in snapshot.Files)
        {
            referenced.Add(DeltaPath.KeyOf(Path, file.Path));
        }

        foreach (var tombstone in snapshot.Tombstones)
        {
            tombstoned.Add(DeltaPath.KeyOf(Path, tombstone.Path));
            if (tombstone.DeletionTimestamp is not { } ms || DateTimeOffset.FromUnixTimeMilliseconds(ms) > horizon)
            {
                referenced.Add(DeltaPath.KeyOf(Path, tombstone.Path));
            }
        }

        var prefix = Path.Length == 0 ? "" : Path + "/";
        var deleted = new List<string>();
        var kept = new List<string>();
        await foreach (var info in Store.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            var relative = info.Key[prefix.Length..];
            if (IsHidden(relative) || referenced.Contains(info.Key) || info.LastModified > horizon || relative.StartsWith("deletion_vector_", StringComparison.Ordinal))
            {
                continue;
            }

            if (uncommittedGrace is { } grace && !tombstoned.Contains(info.Key) && info.LastModified > now - grace
                && !relative.StartsWith("_change_data/", StringComparison.Ordinal))
            {
                kept.Add(info.Key);
                continue;
            }

            deleted.Add(info.Key);
            if (!dryRun)
            {
                await Store.DeleteAsync(info.Key, cancellationToken).ConfigureAwait(false);
            }
        }

        return new VacuumResult(deleted, dryRun, kept);
    }

    /// <summary>
    /// Delta's rule: a path segment starting with '_' or '.' is not data (log, temp files), unless it is a partition
    /// folder or the change data folder (whose files VACUUM deletes once older than the retention).
    /// </summary>
    private static bool IsHidden(string relative)
    {
        if (relative.StartsWith("_change_data/", StringComparison.Ordinal))
        {
            relative = relative["_change_data/".Length..];
        }

        foreach (var segment in relative.Split('/'))
        {
            if ((segment.StartsWith('_') || segment.StartsWith('.')) && !segment.Contains('=', StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
