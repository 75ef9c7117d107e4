using System.Globalization;
using System.Text.Json;
using Fhirhouse.Delta.Actions;
using Fhirhouse.Delta.Parquet;
using Fhirhouse.Storage;
using Fhirhouse.Storage.Heads;

namespace Fhirhouse.Delta.Log;

/// <summary>The I/O side of the log: listing <c>_delta_log</c>, reading commits and checkpoints, building snapshots.</summary>
internal sealed class DeltaLog(IObjectStore store, string tablePath, IParquetHandler parquet)
{
    private CachedReplay? _latest;
    private CommitHash? _lastCommit;

    public IObjectStore Store => store;

    /// <summary>The store's head records when it keeps them (a lake): commits are chained and checked against them.</summary>
    public ITableHeadStore? Heads { get; } = store is ITableHeadStore { KeepsTableHeads: true } heads ? heads : null;

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
        Remember(version, bytes);
        return ParseLines(bytes, CommitKey(version));
    }

    /// <summary>The SHA-256 of commit <paramref name="version"/> (the link the next commit records), read when not known.</summary>
    public async Task<string> CommitHashAsync(long version, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _lastCommit) is { } known && known.Version == version)
        {
            return known.Hash;
        }

        byte[] bytes;
        try
        {
            bytes = await store.ReadAllBytesAsync(CommitKey(version), cancellationToken).ConfigureAwait(false);
        }
        catch (ObjectNotFoundException e)
        {
            throw new DeltaProtocolException(tablePath, $"commit {version}, the one a new commit follows, is missing: the new commit cannot be chained to it", e);
        }

        return Remember(version, bytes);
    }

    /// <summary>Keeps the hash of the newest commit written or read, for the next commit's link.</summary>
    public string Remember(long version, ReadOnlySpan<byte> bytes)
    {
        var hash = LogChain.Hash(bytes);
        var known = Volatile.Read(ref _lastCommit);
        if (known is null || known.Version < version)
        {
            Interlocked.CompareExchange(ref _lastCommit, new CommitHash(version, hash), known);
        }

        return hash;
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
        // The head record before the listing: every commit it names was written before it, so the listing holds them.
        var head = Heads is not null && version is null ? await ReadHeadAsync(cancellationToken).ConfigureAwait(false) : null;
        var listing = version is null ? await ListFromLastCheckpointAsync(cancellationToken).ConfigureAwait(false) : null;
        listing ??= await ListAsync(cancellationToken).ConfigureAwait(false);
        var segment = LogSegment.Build(tablePath, listing, version);
        var checkpointVersion = segment.Checkpoint.Count > 0 ? segment.Checkpoint[0].Version : (long?)null;
        var cached = version is null ? Volatile.Read(ref _latest) : null;
        LogReplay replay;
        CommitInfo? lastCommitInfo;
        LogChain chain;
        long after;
        if (cached is not null && cached.Version <= segment.Version && (checkpointVersion ?? -1) <= cached.Version)
        {
            replay = cached.Replay.Clone();
            lastCommitInfo = cached.LastCommitInfo;
            chain = cached.Chain.Continue();
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
            chain = new LogChain(tablePath);
            after = -1;
        }

        foreach (var commit in segment.Commits)
        {
            if (commit.Version <= after)
            {
                continue;
            }

            var bytes = await store.ReadAllBytesAsync(commit.Key, cancellationToken).ConfigureAwait(false);
            var actions = ParseLines(bytes, commit.Key);
            replay.Apply(actions);
            lastCommitInfo = actions.OfType<CommitInfo>().FirstOrDefault();
            if (Heads is not null)
            {
                chain.ThrowIf(chain.Follow(commit.Version, bytes, lastCommitInfo));
                Remember(commit.Version, bytes);
            }
        }

        var state = replay.Result();
        TableFeatures.EnsureReadable(state.Protocol, tablePath);
        if (Heads is not null && version is null)
        {
            chain.ThrowIf(chain.CheckHead(head, Heads.HeadsComplete, segment.Version, state.Metadata.Id));
        }

        if (version is null && (cached is null || cached.Version < segment.Version))
        {
            Interlocked.CompareExchange(ref _latest, new CachedReplay(segment.Version, replay.Clone(), lastCommitInfo, chain.Continue()), cached);
        }

        var timestamp = lastCommitInfo?.Timestamp is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : segment.LastModified;
        return new Snapshot(this, segment.Version, state, timestamp, checkpointVersion);
    }

    /// <summary>
    /// Reads every commit still in the log, oldest first, following the hash chain, then checks the head record against
    /// the latest; returns the problems found (empty when the log is intact or the store keeps no heads).
    /// </summary>
    public async Task<IReadOnlyList<string>> VerifyChainAsync(CancellationToken cancellationToken)
    {
        if (Heads is null)
        {
            return [];
        }

        var problems = new List<string>();
        TableHead? head = null;
        string? headProblem = null;
        try
        {
            head = await ReadHeadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (TableTamperedException e)
        {
            headProblem = e.Message;
        }

        var listing = await ListAsync(cancellationToken).ConfigureAwait(false);
        long latest;
        try
        {
            latest = LogSegment.Build(tablePath, listing, null).Version;
        }
        catch (DeltaProtocolException e)
        {
            problems.Add(e.Message);
            return problems;
        }
        catch (DeltaTableNotFoundException)
        {
            return head is null ? [] : [$"its head record is at version {head.Version} but its log is gone: the table was deleted"];
        }

        var chain = new LogChain(tablePath);
        string? tableId = null;
        foreach (var commit in listing.Where(f => f.Kind == LogFileKind.Commit).OrderBy(f => f.Version))
        {
            var bytes = await store.ReadAllBytesAsync(commit.Key, cancellationToken).ConfigureAwait(false);
            var actions = ParseLines(bytes, commit.Key);
            tableId = actions.OfType<Metadata>().LastOrDefault()?.Id ?? tableId;
            if (chain.Follow(commit.Version, bytes, actions.OfType<CommitInfo>().FirstOrDefault()) is { } problem)
            {
                problems.Add(problem);
            }
        }

        tableId ??= (await LoadSnapshotAsync(latest, cancellationToken).ConfigureAwait(false)).Metadata.Id;
        if ((headProblem ?? chain.CheckHead(head, Heads.HeadsComplete, latest, tableId)) is { } wrong)
        {
            problems.Add(wrong);
        }

        return problems;
    }

    /// <summary>Records the head of the latest version (for a table that has none yet: <c>lake upgrade</c>).</summary>
    public async Task RecordLatestHeadAsync(Snapshot latest, CancellationToken cancellationToken)
    {
        if (Heads is not null)
        {
            var hash = await CommitHashAsync(latest.Version, cancellationToken).ConfigureAwait(false);
            await Heads.RecordHeadAsync(tablePath, new TableHead(latest.Version, hash, latest.Metadata.Id), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The table's head record; an unreadable one is a tampering of the table.</summary>
    public async Task<TableHead?> ReadHeadAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await Heads!.ReadHeadAsync(tablePath, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidDataException or JsonException)
        {
            throw new TableTamperedException(tablePath, $"its head record is not valid ({e.Message})");
        }
    }

    /// <summary>The replay of the latest snapshot loaded, kept for incremental loads (never mutated once kept).</summary>
    private sealed record CachedReplay(long Version, LogReplay Replay, CommitInfo? LastCommitInfo, LogChain Chain);

    /// <summary>The hash of the newest commit this log wrote or read.</summary>
    private sealed record CommitHash(long Version, string Hash);

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
