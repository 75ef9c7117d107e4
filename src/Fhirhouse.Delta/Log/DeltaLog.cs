using System.Globalization;
using System.Text.Json;
using Fhirhouse.Delta.Actions;
using Fhirhouse.Delta.Parquet;
using Fhirhouse.Storage;

namespace Fhirhouse.Delta.Log;

/// <summary>The I/O side of the log: listing <c>_delta_log</c>, reading commits and checkpoints, building snapshots.</summary>
internal sealed class DeltaLog(IObjectStore store, string tablePath, IParquetHandler parquet)
{
    private CachedReplay? _latest;

    public IObjectStore Store => store;

    public string TablePath => tablePath;

    public string LogPrefix { get; } = tablePath.Length == 0 ? "_delta_log/" : tablePath.TrimEnd('/') + "/_delta_log/";

    public IParquetHandler Parquet => parquet;

    public string CommitKey(long version) => LogPrefix + version.ToString("D20", CultureInfo.InvariantCulture) + ".json";

    public async Task<List<LogFile>> ListAsync(CancellationToken cancellationToken)
    {
        var files = new List<LogFile>();
        await foreach (var info in store.ListAsync(LogPrefix, cancellationToken).ConfigureAwait(false))
        {
            if (info.Key.IndexOf('/', LogPrefix.Length) >= 0)
            {
                continue;
            }

            if (LogFile.TryParse(info.Key, info.Size, info.LastModified) is { } file)
            {
                files.Add(file);
            }
        }

        return files;
    }

    /// <summary>
    /// The log files from the checkpoint that <c>_last_checkpoint</c> names onward, listed by 1,000-version key prefixes
    /// (one or two list calls instead of the whole log on object stores); null when the hint is absent, unreadable or
    /// names a checkpoint that is not complete, and the caller lists everything.
    /// </summary>
    public async Task<List<LogFile>?> ListFromLastCheckpointAsync(CancellationToken cancellationToken)
    {
        long hint;
        try
        {
            var bytes = await store.ReadAllBytesAsync(LogPrefix + "_last_checkpoint", cancellationToken).ConfigureAwait(false);
            using var doc = JsonDocument.Parse(bytes);
            hint = doc.RootElement.GetProperty("version").GetInt64();
        }
        catch (Exception e) when (e is ObjectNotFoundException or JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }

        if (hint < 0)
        {
            return null;
        }

        var files = new List<LogFile>();
        for (var block = hint / 1000; ; block++)
        {
            var prefix = LogPrefix + (block * 1000).ToString("D20", CultureInfo.InvariantCulture)[..17];
            var lastOfBlock = false;
            await foreach (var info in store.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
            {
                if (info.Key.IndexOf('/', LogPrefix.Length) < 0 && LogFile.TryParse(info.Key, info.Size, info.LastModified) is { } file)
                {
                    files.Add(file);
                    lastOfBlock |= file.Kind == LogFileKind.Commit && file.Version == (block * 1000) + 999;
                }
            }

            if (!lastOfBlock)
            {
                break;
            }
        }

        return LogSegment.HasCompleteCheckpoint(files, hint) ? files : null;
    }

    public async Task<List<DeltaAction>> ReadCommitAsync(LogFile file, CancellationToken cancellationToken)
    {
        var bytes = await store.ReadAllBytesAsync(file.Key, cancellationToken).ConfigureAwait(false);
        return ParseLines(bytes, file.Key);
    }

    public async Task<List<DeltaAction>> ReadCommitAsync(long version, CancellationToken cancellationToken)
    {
        var bytes = await store.ReadAllBytesAsync(CommitKey(version), cancellationToken).ConfigureAwait(false);
        return ParseLines(bytes, CommitKey(version));
    }

    /// <summary>
    /// The actions of a checkpoint: classic, multi-part, or V2 (JSON or Parquet, with its sidecar files read from
    /// <c>_delta_log/_sidecars/</c>).
    /// </summary>
    public async Task<List<DeltaAction>> ReadCheckpointAsync(IReadOnlyList<LogFile> parts, CancellationToken cancellationToken)
    {
        var actions = new List<DeltaAction>();
        foreach (var part in parts)
        {
            if (part.Key.EndsWith(".json", StringComparison.Ordinal))
            {
                actions.AddRange(ParseLines(await store.ReadAllBytesAsync(part.Key, cancellationToken).ConfigureAwait(false), part.Key));
            }
            else
            {
                actions.AddRange(await ReadCheckpointParquetAsync(part.Key, cancellationToken).ConfigureAwait(false));
            }
        }

        var sidecars = actions.OfType<SidecarFile>().ToList();
        foreach (var sidecar in sidecars)
        {
            var key = sidecar.Path.Contains('/', StringComparison.Ordinal)
                ? DeltaPath.KeyOf(tablePath, sidecar.Path)
                : LogPrefix + "_sidecars/" + DeltaPath.Decode(sidecar.Path);
            actions.AddRange(await ReadCheckpointParquetAsync(key, cancellationToken).ConfigureAwait(false));
        }

        return actions;
    }

    private async Task<List<DeltaAction>> ReadCheckpointParquetAsync(string key, CancellationToken cancellationToken)
    {
        List<object?[]> rows;
        try
        {
            rows = await parquet.ReadAsync(key, CheckpointSchema.ReadSchema, Schema.ColumnMappingMode.None, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidDataException or ParquetSharp.ParquetException)
        {
            throw new DeltaProtocolException(key, "the checkpoint cannot be read: " + e.Message, e);
        }

        var actions = new List<DeltaAction>(rows.Count);
        foreach (var row in rows)
        {
            if (CheckpointSchema.ToAction(row) is { } action)
            {
                actions.Add(action);
            }
        }

        return actions;
    }

    /// <summary>
    /// Replays the segment into a snapshot and checks that this library can read it. The latest snapshot's replay is
    /// kept: the next load of the latest version applies only the commits since (when no newer checkpoint intervened),
    /// instead of reading the checkpoint and every commit after it again.
    /// </summary>
    public async Task<Snapshot> LoadSnapshotAsync(long? version, CancellationToken cancellationToken)
    {
        var listing = version is null ? await ListFromLastCheckpointAsync(cancellationToken).ConfigureAwait(false) : null;
        listing ??= await ListAsync(cancellationToken).ConfigureAwait(false);
        var segment = LogSegment.Build(tablePath, listing, version);
        var checkpointVersion = segment.Checkpoint.Count > 0 ? segment.Checkpoint[0].Version : (long?)null;
        var cached = version is null ? Volatile.Read(ref _latest) : null;
        LogReplay replay;
        CommitInfo? lastCommitInfo;
        long after;
        if (cached is not null && cached.Version <= segment.Version && (checkpointVersion ?? -1) <= cached.Version)
        {
            replay = cached.Replay.Clone();
            lastCommitInfo = cached.LastCommitInfo;
            after = cached.Version;
        }
        else
        {
            replay = new LogReplay(tablePath);
            if (segment.Checkpoint.Count > 0)
            {
                replay.Apply(await ReadCheckpointAsync(segment.Checkpoint, cancellationToken).ConfigureAwait(false));
            }

            lastCommitInfo = null;
            after = -1;
        }

        foreach (var commit in segment.Commits)
        {
            if (commit.Version <= after)
            {
                continue;
            }

            var actions = await ReadCommitAsync(commit, cancellationToken).ConfigureAwait(false);
            replay.Apply(actions);
            lastCommitInfo = actions.OfType<CommitInfo>().FirstOrDefault();
        }

        var state = replay.Result();
        TableFeatures.EnsureReadable(state.Protocol, tablePath);
        if (version is null && (cached is null || cached.Version < segment.Version))
        {
            Interlocked.CompareExchange(ref _latest, new CachedReplay(segment.Version, replay.Clone(), lastCommitInfo), cached);
        }

        var timestamp = lastCommitInfo?.Timestamp is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : segment.LastModified;
        return new Snapshot(this, segment.Version, state, timestamp, checkpointVersion);
    }

    /// <summary>The replay of the latest snapshot loaded, kept for incremental loads (never mutated once kept).</summary>
    private sealed record CachedReplay(long Version, LogReplay Replay, CommitInfo? LastCommitInfo);

    private static List<DeltaAction> ParseLines(byte[] bytes, string key)
    {
        var actions = new List<DeltaAction>();
        var span = bytes.AsSpan();
        var lineNumber = 0;
        while (span.Length > 0)
        {
            lineNumber++;
            var end = span.IndexOf((byte)'\n');
            var line = end < 0 ? span : span[..end];
            span = end < 0 ? [] : span[(end + 1)..];
            if (line.Trim(" \r\t"u8).IsEmpty)
            {
                continue;
            }

            try
            {
                if (ActionJson.Parse(line) is { } action)
                {
                    actions.Add(action);
                }
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new DeltaProtocolException(key, $"line {lineNumber} is not a valid Delta action: {e.Message}", e);
            }
        }

        return actions;
    }
}
