using Fhirhouse.Delta.Log;
using Fhirhouse.Delta.Parquet;
using Fhirhouse.Storage;

namespace Fhirhouse.Delta;

/// <summary>
/// A Delta table at a path of an object store. Reading: <see cref="GetSnapshotAsync"/> (latest or by version),
/// <see cref="GetSnapshotAsOfAsync"/> (by timestamp), <see cref="GetHistoryAsync"/>.
/// </summary>
public sealed partial class DeltaTable
{
    private DeltaTable(IObjectStore store, string path, DeltaTableOptions options)
    {
        Store = store;
        Path = path.Trim('/');
        Options = options.Validate();
        Log = new DeltaLog(store, Path, new ParquetSharpHandler(store));
    }

    /// <summary>The store the table lives in.</summary>
    public IObjectStore Store { get; }

    /// <summary>The table's path (key prefix) in the store.</summary>
    public string Path { get; }

    public DeltaTableOptions Options { get; }

    internal DeltaLog Log { get; }

    /// <summary>
    /// Opens the table at <paramref name="path"/> and loads its latest snapshot; throws
    /// <see cref="DeltaTableNotFoundException"/> when there is no table, <see cref="DeltaProtocolException"/> when its log is
    /// broken and <see cref="UnsupportedTableFeatureException"/> when it needs a feature this library lacks.
    /// </summary>
    public static async Task<DeltaTable> OpenAsync(IObjectStore store, string path, DeltaTableOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(path);
        var table = new DeltaTable(store, path, options ?? new DeltaTableOptions());
        await table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return table;
    }

    /// <summary>
    /// Whether a table is at <paramref name="path"/>: its <c>_delta_log</c> holds a commit or a checkpoint. Not the same as
    /// version 0 existing: log cleanup removes the first commits of a table that has a checkpoint.
    /// </summary>
    public static async Task<bool> ExistsAsync(IObjectStore store, string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(path);
        var prefix = (path.Trim('/').Length == 0 ? "" : path.Trim('/') + "/") + "_delta_log/";
        await foreach (var info in store.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            if (info.Key.IndexOf('/', prefix.Length) < 0 && LogFile.TryParse(info.Key, info.Size, info.LastModified) is not null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The paths of the tables directly under <paramref name="folder"/> (<c>folder + name</c>, each holding a commit or
    /// a checkpoint in its <c>_delta_log</c>), in key order.
    /// </summary>
    public static async IAsyncEnumerable<string> ListTablesAsync(IObjectStore store, string folder, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(folder);
        string? last = null;
        await foreach (var info in store.ListAsync(folder, cancellationToken).ConfigureAwait(false))
        {
            var rest = info.Key[folder.Length..];
            var at = rest.IndexOf("/_delta_log/", StringComparison.Ordinal);
            if (at > 0 && !rest[..at].Contains('/', StringComparison.Ordinal) && rest.IndexOf('/', at + "/_delta_log/".Length) < 0
                && LogFile.TryParse(info.Key, info.Size, info.LastModified) is not null && folder + rest[..at] is var path && path != last)
            {
                last = path;
                yield return path;
            }
        }
    }

    /// <summary>The snapshot at <paramref name="version"/>, or the latest when null.</summary>
    public Task<Snapshot> GetSnapshotAsync(long? version = null, CancellationToken cancellationToken = default) =>
        Log.LoadSnapshotAsync(version, cancellationToken);

    /// <summary>
    /// Whether a version after <paramref name="snapshot"/>'s is committed (one existence check: versions are numbered
    /// without gaps), so that a reader can keep a latest snapshot until then.
    /// </summary>
    public Task<bool> HasNewerVersionAsync(Snapshot snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return Store.ExistsAsync(Log.CommitKey(snapshot.Version + 1), cancellationToken);
    }

    /// <summary>
    /// The snapshot of the latest version committed at or before <paramref name="timestamp"/> (commit times from
    /// commitInfo, else commit file times); throws <see cref="ArgumentOutOfRangeException"/> when the table is younger.
    /// </summary>
    public async Task<Snapshot> GetSnapshotAsOfAsync(DateTimeOffset timestamp, CancellationToken cancellationToken = default)
    {
        var history = await GetHistoryAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var match = history.Where(h => h.Timestamp <= timestamp).Select(h => (long?)h.Version).DefaultIfEmpty(null).Max();
        if (match is null)
        {
            var first = history.Count > 0 ? history.Min(h => h.Timestamp) : default;
            throw new ArgumentOutOfRangeException(nameof(timestamp), timestamp, $"Table '{Path}' has no version at or before {timestamp:O} (its earliest commit is {first:O}).");
        }

        return await GetSnapshotAsync(match, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One entry per commit still in the log, newest first; at most <paramref name="limit"/> when given.</summary>
    public async Task<IReadOnlyList<CommitEntry>> GetHistoryAsync(int? limit = null, CancellationToken cancellationToken = default)
    {
        var files = await Log.ListAsync(cancellationToken).ConfigureAwait(false);
        var entries = new List<CommitEntry>();
        foreach (var file in files.Where(f => f.Kind == LogFileKind.Commit).OrderByDescending(f => f.Version).Take(limit ?? int.MaxValue))
        {
            var actions = await Log.ReadCommitAsync(file, cancellationToken).ConfigureAwait(false);
            var info = actions.OfType<Actions.CommitInfo>().FirstOrDefault();
            var timestamp = info?.Timestamp is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : file.LastModified;
            entries.Add(new CommitEntry(file.Version, timestamp, info?.Operation, info,
                actions.OfType<Actions.AddFile>().Count(), actions.OfType<Actions.RemoveFile>().Count()));
        }

        return entries;
    }
}
