using Fhirhouse.Delta.Actions;
using Fhirhouse.Delta.Log;

namespace Fhirhouse.Delta.Operations;

/// <summary>VACUUM: deleting data files no version within the retention period still needs (see <see cref="DeltaTable.VacuumAsync"/>).</summary>
internal static class Vacuum
{
    public static async Task<VacuumResult> RunAsync(DeltaTable table, TimeSpan? retention, bool force, bool dryRun, TimeSpan? uncommittedGrace, CancellationToken cancellationToken)
    {
        var snapshot = await table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        TableFeatures.EnsureWritable(snapshot.Protocol, snapshot.Metadata, table.Path);
        var configured = VacuumRetention.DeletedFileRetention(snapshot.Metadata);
        var keep = retention ?? configured;
        if (keep < configured && !force)
        {
            throw new ArgumentOutOfRangeException(nameof(retention), keep,
                $"VACUUM retention {keep} is shorter than the table's retention {configured}; pass force: true to vacuum anyway.");
        }

        var now = table.Options.TimeProvider.GetUtcNow();
        var horizon = now - keep;
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        var tombstoned = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in snapshot.Files)
        {
            referenced.Add(DeltaPath.KeyOf(table.Path, file.Path));
        }

        foreach (var tombstone in snapshot.Tombstones)
        {
            tombstoned.Add(DeltaPath.KeyOf(table.Path, tombstone.Path));
            if (tombstone.DeletionTimestamp is not { } ms || DateTimeOffset.FromUnixTimeMilliseconds(ms) > horizon)
            {
                referenced.Add(DeltaPath.KeyOf(table.Path, tombstone.Path));
            }
        }

        var prefix = table.Path.Length == 0 ? "" : table.Path + "/";
        var deleted = new List<string>();
        var kept = new List<string>();
        HashSet<string>? committedChanges = null;
        await foreach (var info in table.Store.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            var relative = info.Key[prefix.Length..];
            if (IsHidden(relative) || referenced.Contains(info.Key) || info.LastModified > horizon || relative.StartsWith("deletion_vector_", StringComparison.Ordinal))
            {
                continue;
            }

            if (uncommittedGrace is { } grace && !tombstoned.Contains(info.Key) && info.LastModified > now - grace)
            {
                // A young file no commit names may belong to a writer that has written it and not committed yet: kept.
                // Change data files are never in a snapshot's files, so they count as committed when a recent commit adds them.
                if (!relative.StartsWith("_change_data/", StringComparison.Ordinal)
                    || !(committedChanges ??= await RecentChangeFilesAsync(table, now - grace, cancellationToken).ConfigureAwait(false)).Contains(info.Key))
                {
                    kept.Add(info.Key);
                    continue;
                }
            }

            deleted.Add(info.Key);
            if (!dryRun)
            {
                await table.Store.DeleteAsync(info.Key, cancellationToken).ConfigureAwait(false);
            }
        }

        return new VacuumResult(deleted, dryRun, kept);
    }

    /// <summary>
    /// The change data files that commits written since <paramref name="since"/> (a minute of clock skew allowed) add: a
    /// change data file younger than that can only be named by a commit written after it.
    /// </summary>
    private static async Task<HashSet<string>> RecentChangeFilesAsync(DeltaTable table, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var commit in (await table.Log.ListAsync(cancellationToken).ConfigureAwait(false))
            .Where(f => f.Kind == LogFileKind.Commit && f.LastModified >= since - TimeSpan.FromMinutes(1)))
        {
            foreach (var cdc in (await table.Log.ReadCommitAsync(commit, cancellationToken).ConfigureAwait(false)).OfType<AddCdcFile>())
            {
                named.Add(DeltaPath.KeyOf(table.Path, cdc.Path));
            }
        }

        return named;
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
