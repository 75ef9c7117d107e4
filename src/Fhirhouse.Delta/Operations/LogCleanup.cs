using Fhirhouse.Delta.Log;

namespace Fhirhouse.Delta.Operations;

/// <summary>Log cleanup: dropping commits and checkpoints that no reachable version needs.</summary>
internal static class LogCleanup
{
    private static readonly TimeSpan s_defaultLogRetention = TimeSpan.FromDays(30);

    /// <summary>The log files older than the newest checkpoint before the horizon, deleted (see <see cref="DeltaTable.CleanUpLogAsync"/>).</summary>
    public static async Task<IReadOnlyList<string>> RunAsync(DeltaTable table, TimeSpan? retention, CancellationToken cancellationToken)
    {
        var snapshot = await table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        TableFeatures.EnsureWritable(snapshot.Protocol, snapshot.Metadata, table.Path);
        var configured = snapshot.Metadata.Configuration.TryGetValue("delta.logRetentionDuration", out var text) && VacuumRetention.ParseInterval(text) is { } span
            ? span
            : s_defaultLogRetention;
        var horizon = table.Options.TimeProvider.GetUtcNow() - (retention ?? configured);
        var listing = await table.Log.ListAsync(cancellationToken).ConfigureAwait(false);
        var commits = listing.Where(f => f.Kind == LogFileKind.Commit).ToDictionary(f => f.Version);
        long? cutoff = null;
        foreach (var version in listing.Where(f => f.Kind != LogFileKind.Commit).Select(f => f.Version).Distinct().OrderDescending())
        {
            var segment = LogSegment.Build(table.Path, listing, version);
            var written = commits.TryGetValue(version, out var commit) ? commit.LastModified : listing.First(f => f.Version == version).LastModified;
            if (segment.Checkpoint.Count > 0 && segment.Checkpoint[0].Version == version && written <= horizon)
            {
                cutoff = version;
                break;
            }
        }

        var deleted = new List<string>();
        if (cutoff is null)
        {
            return deleted;
        }

        foreach (var file in listing.Where(f => f.Version < cutoff && f.LastModified <= horizon).OrderBy(f => f.Version))
        {
            await table.Store.DeleteAsync(file.Key, cancellationToken).ConfigureAwait(false);
            deleted.Add(file.Key);
        }

        return deleted;
    }
}
