namespace Fhirhouse.Delta.Log;

/// <summary>
/// The log files that make one snapshot: the newest complete checkpoint at or below the version (if any) and the
/// contiguous commits after it. Pure: built from a listing, no I/O.
/// </summary>
internal sealed record LogSegment(string TablePath, long Version, IReadOnlyList<LogFile> Checkpoint, IReadOnlyList<LogFile> Commits, DateTimeOffset LastModified)
{
    /// <summary>
    /// Chooses the files for <paramref name="version"/> (the latest when null) from a listing of <c>_delta_log</c>.
    /// Throws <see cref="DeltaTableNotFoundException"/> when the listing holds no commit nor checkpoint,
    /// <see cref="DeltaProtocolException"/> when versions are not contiguous or the version does not exist.
    /// </summary>
    public static LogSegment Build(string tablePath, IEnumerable<LogFile> listing, long? version)
    {
        var commits = new SortedDictionary<long, LogFile>();
        var checkpoints = new SortedDictionary<long, List<LogFile>>();
        foreach (var file in listing)
        {
            if (file.Kind == LogFileKind.Commit)
            {
                commits[file.Version] = file;
            }
            else
            {
                if (!checkpoints.TryGetValue(file.Version, out var list))
                {
                    checkpoints[file.Version] = list = [];
                }

                list.Add(file);
            }
        }

        if (commits.Count == 0 && checkpoints.Count == 0)
        {
            throw new DeltaTableNotFoundException(tablePath);
        }

        var latest = Math.Max(commits.Count > 0 ? commits.Keys.Max() : -1, checkpoints.Count > 0 ? checkpoints.Keys.Max() : -1);
        var target = version ?? latest;
        if (target < 0 || target > latest)
        {
            throw new DeltaProtocolException(tablePath, $"version {target} does not exist (the latest version is {latest}).");
        }

        IReadOnlyList<LogFile> checkpoint = [];
        var start = 0L;
        foreach (var (v, files) in checkpoints.Reverse())
        {
            if (v > target)
            {
                continue;
            }

            var complete = CompleteCheckpoint(files);
            if (complete is not null)
            {
                checkpoint = complete;
                start = v + 1;
                break;
            }
        }

        var segmentCommits = new List<LogFile>();
        for (var v = start; v <= target; v++)
        {
            if (!commits.TryGetValue(v, out var commit))
            {
                var detail = start == 0 ? "and no checkpoint covers the versions before it" : $"after checkpoint {start - 1}";
                throw new DeltaProtocolException(tablePath, $"versions are not contiguous: commit {v} is missing {detail} (log versions must have no gap).");
            }

            segmentCommits.Add(commit);
        }

        var lastModified = segmentCommits.Count > 0 ? segmentCommits[^1].LastModified : checkpoint[0].LastModified;
        return new LogSegment(tablePath, target, checkpoint, segmentCommits, lastModified);
    }

    /// <summary>True when <paramref name="listing"/> holds a complete checkpoint at <paramref name="version"/>.</summary>
    public static bool HasCompleteCheckpoint(IEnumerable<LogFile> listing, long version) =>
        CompleteCheckpoint(listing.Where(f => f.Kind != LogFileKind.Commit && f.Version == version).ToList()) is not null;

    private static List<LogFile>? CompleteCheckpoint(List<LogFile> files)
    {
        var classic = files.FirstOrDefault(f => f.Kind is LogFileKind.Checkpoint or LogFileKind.V2Checkpoint);
        if (classic is not null)
        {
            return [classic];
        }

        foreach (var group in files.Where(f => f.Kind == LogFileKind.MultiPartCheckpoint).GroupBy(f => f.Parts))
        {
            var parts = group.OrderBy(f => f.Part).DistinctBy(f => f.Part).ToList();
            if (parts.Count == group.Key && parts[0].Part == 1 && parts[^1].Part == group.Key)
            {
                return parts;
            }
        }

        return null;
    }
}
