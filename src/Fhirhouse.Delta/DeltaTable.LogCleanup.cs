using Fhirhouse.Delta.Log;

namespace Fhirhouse.Delta;

/// <summary>Log cleanup: dropping commits and checkpoints that no reachable version needs.</summary>
public sealed partial class DeltaTable
{
    private static readonly TimeSpan s_defaultLogRetention = TimeSpan.FromDays(30);

    /// <summary>
    /// Deletes the log files (commits and checkpoints) older than the newest checkpoint written before the retention
    /// horizon (default: <c>delta.logRetentionDuration</c>, 30 days). The table keeps opening at every version from that
    /// checkpoint on; earlier versions can no longer be read. Returns the deleted keys.
    /// </summary>
    public async Task<IReadOnlyList<string>> CleanUpLogAsync(TimeSpan? retention = null, CancellationToken cancellationToken = default)
    {
        var snapshot = await GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        TableFeatures.EnsureWritable(snapshot.Protocol, snapshot.Metadata, Path);
        var configured = snapshot.Metadata.Configuration.TryGetValue("delta.logRetentionDuration", out var text) && VacuumRetention.ParseInterval(text) is { } span
            ? span
            : s_defaultLogRetention;
        var horizon = Options.TimeProvider.GetUtcNow() - (retention ?? configured);
        var listing = await Log.ListAsync(cancellationToken).ConfigureAwait(false);
        var commits = listing.Where(f => f.Kind == LogFileKind.Commit).ToDictionary(f => f.Version);
        long? cutoff = null;
        foreach (var version in listing.Where(f => f.Kind != LogFileKind.Commit).Select(f => f.Version).Distinct().OrderDescending())
        {
            var segment = LogSegment.Build(Path, listing, version);
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
            await Store.DeleteAsync(file.Key, cancellationToken).ConfigureAwait(false);
            deleted.Add(file.Key);
        }

        return deleted;
    }
}
