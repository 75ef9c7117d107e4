using Fhirhouse.Delta.Columnar;
using Fhirhouse.Delta.Log;
using Fhirhouse.Delta.Operations;
using Fhirhouse.Delta.Parquet;
using Fhirhouse.Delta.Schema;
using Fhirhouse.Delta.Transactions;
using Fhirhouse.Storage;

namespace Fhirhouse.Delta;

/// <summary>
/// A Delta table at a path of an object store. Reading: <see cref="GetSnapshotAsync"/> (latest or by version),
/// <see cref="GetSnapshotAsOfAsync"/> (by timestamp), <see cref="GetHistoryAsync"/>, <see cref="ReadChangesAsync"/>.
/// Writing: <see cref="CreateAsync"/>, appends and overwrites of rows or of data files written apart
/// (<see cref="TableWriter"/>), DELETE, UPDATE, MERGE and replace-where (<see cref="RowRewrites"/>), schema evolution,
/// VACUUM and log cleanup, each done by its own type in its feature folder.
/// </summary>
public sealed class DeltaTable
{
    private DeltaTable(IObjectStore store, string path, DeltaTableOptions options)
    {
        Store = store;
        Path = path.Trim('/');
        Options = options.Validate();
        Log = new DeltaLog(store, Path, new ParquetSharpHandler(store));
        Writer = new TableWriter(this);
    }

    /// <summary>The store the table lives in.</summary>
    public IObjectStore Store { get; }

    /// <summary>The table's path (key prefix) in the store.</summary>
    public string Path { get; }

    public DeltaTableOptions Options { get; }

    internal DeltaLog Log { get; }

    internal TableWriter Writer { get; }

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
    public static IAsyncEnumerable<string> ListTablesAsync(IObjectStore store, string folder, CancellationToken cancellationToken = default) =>
        ListTablesAsync(store, folder, nested: false, cancellationToken);

    /// <summary>
    /// The paths of the tables under <paramref name="folder"/>, in key order: directly under it, or at any depth when
    /// <paramref name="nested"/> (<c>tables/views/patient</c> as well as <c>tables/fhir_resources</c>).
    /// </summary>
    public static async IAsyncEnumerable<string> ListTablesAsync(IObjectStore store, string folder, bool nested, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(folder);
        string? last = null;
        await foreach (var info in store.ListAsync(folder, cancellationToken).ConfigureAwait(false))
        {
            var rest = info.Key[folder.Length..];
            var at = rest.IndexOf("/_delta_log/", StringComparison.Ordinal);
            if (at > 0 && (nested || !rest[..at].Contains('/', StringComparison.Ordinal)) && rest.IndexOf('/', at + "/_delta_log/".Length) < 0
                && LogFile.TryParse(info.Key, info.Size, info.LastModified) is not null && folder + rest[..at] is var path && path != last)
            {
                last = path;
                yield return path;
            }
        }
    }

    /// <summary>
    /// Checks the table's whole log in a lake that keeps table heads: every commit still in the log is read in order and
    /// must link to the one before it, and the head record must match the latest. Returns the problems found, each
    /// naming versions (empty: intact, or a store that keeps no heads). Reads no data files.
    /// </summary>
    public static Task<IReadOnlyList<string>> VerifyLogAsync(IObjectStore store, string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(path);
        return new DeltaTable(store, path, new DeltaTableOptions()).Log.VerifyChainAsync(cancellationToken);
    }

    /// <summary>
    /// Records the head of the latest version for a table written before its lake kept head records
    /// (<c>fhirhouse lake upgrade</c>); nothing in a store that keeps none.
    /// </summary>
    public async Task RecordHeadAsync(CancellationToken cancellationToken = default)
    {
        var latest = await GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await Log.RecordLatestHeadAsync(latest, cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// Creates a table (version 0: protocol reader 1 / writer 2, or writer 4 with the change data feed, metaData,
    /// commitInfo). Throws <see cref="CommitConflictException"/> when a table already exists at the path.
    /// Row values follow the types of <see cref="PrimitiveType"/>; configuration keys are Delta table properties
    /// (e.g. "delta.enableChangeDataFeed" = "true").
    /// </summary>
    public static async Task<DeltaTable> CreateAsync(
        IObjectStore store,
        string path,
        StructType schema,
        IReadOnlyList<string>? partitionColumns = null,
        IReadOnlyDictionary<string, string>? configuration = null,
        DeltaTableOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(schema);
        var table = new DeltaTable(store, path, options ?? new DeltaTableOptions());
        await TableWriter.CreateAsync(table, schema, partitionColumns ?? [], configuration, cancellationToken).ConfigureAwait(false);
        return table;
    }

    /// <summary>
    /// Appends rows (each an <c>object?[]</c> in schema order) as new files in one commit. With <paramref name="txn"/>,
    /// a batch whose version the table already recorded for that application is skipped.
    /// </summary>
    public Task<CommitResult> AppendAsync(IEnumerable<object?[]> rows, AppTransaction? txn = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return Writer.WriteAsync(rows, overwrite: false, txn, cancellationToken);
    }

    /// <summary>Replaces every row of the table with <paramref name="rows"/> in one commit.</summary>
    public Task<CommitResult> OverwriteAsync(IEnumerable<object?[]> rows, AppTransaction? txn = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return Writer.WriteAsync(rows, overwrite: true, txn, cancellationToken);
    }

    /// <summary>
    /// A new data file path (relative to the table, not yet encoded) in the Hive-style folder of
    /// <paramref name="partitionValues"/> (in the table's partition column order), for a caller that writes its own
    /// Parquet file and commits it with <see cref="AppendFilesAsync"/>.
    /// </summary>
    public static string NewDataFilePath(IEnumerable<KeyValuePair<string, string?>> partitionValues) => TableWriter.NewDataFilePath(partitionValues);

    /// <summary>The object key of a data file path relative to the table.</summary>
    public string DataFileKey(string relativePath) => Writer.KeyOf(relativePath);

    /// <summary>
    /// Appends data files the caller writes itself under the table (see <see cref="DataFile"/>) in one commit:
    /// <paramref name="writeFiles"/> is called only when the table has not yet recorded <paramref name="txn"/> (the
    /// exactly-once rule of <see cref="AppendAsync"/>), so a batch already committed writes nothing.
    /// </summary>
    public Task<CommitResult> AppendFilesAsync(Func<CancellationToken, Task<IReadOnlyList<DataFile>>> writeFiles, AppTransaction? txn = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writeFiles);
        return Writer.CommitFilesAsync(writeFiles, overwrite: false, txn, cancellationToken);
    }

    /// <summary>
    /// Replaces every row of the table with the rows of data files already written under it (see
    /// <see cref="WriteDataFilesAsync"/>), in one commit, with the <paramref name="txn"/> rule of <see cref="OverwriteAsync"/>.
    /// </summary>
    public Task<CommitResult> OverwriteFilesAsync(IReadOnlyList<DataFile> files, AppTransaction? txn = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        return Writer.CommitFilesAsync(_ => Task.FromResult(files), overwrite: true, txn, cancellationToken);
    }

    /// <summary>
    /// Replaces every row of the table with the rows of data files the caller writes itself (see <see cref="DataFile"/>),
    /// in one commit: <paramref name="writeFiles"/> is called only when the table has not yet recorded <paramref name="txn"/>.
    /// </summary>
    public Task<CommitResult> OverwriteFilesAsync(Func<CancellationToken, Task<IReadOnlyList<DataFile>>> writeFiles, AppTransaction? txn = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writeFiles);
        return Writer.CommitFilesAsync(writeFiles, overwrite: true, txn, cancellationToken);
    }

    /// <summary>
    /// Writes rows (each an <c>object?[]</c> in schema order) as data files of the table without committing them, so
    /// that a caller can write a large result piece by piece and commit all the pieces at once
    /// (<see cref="AppendFilesAsync"/>, <see cref="OverwriteFilesAsync"/>).
    /// </summary>
    public Task<IReadOnlyList<DataFile>> WriteDataFilesAsync(IEnumerable<object?[]> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return Writer.WriteDataFilesAsync(rows, cancellationToken);
    }

    /// <summary>
    /// Writes a <see cref="ColumnBatch"/> as one data file of the table without committing it (as
    /// <see cref="WriteDataFilesAsync"/> does for rows). The batch holds the table's data columns (the partition
    /// columns left out), whose values are <paramref name="partitionValues"/> for every row of the file.
    /// </summary>
    /// <exception cref="ArgumentException">The batch's columns are not the table's data columns, or the partition values do not match.</exception>
    /// <exception cref="ObjectDisposedException">The batch is disposed.</exception>
    public async Task<DataFile> WriteColumnsAsync(ColumnBatch batch, IReadOnlyDictionary<string, string?>? partitionValues = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var files = await Writer.WriteColumnsAsync([(batch, partitionValues ?? new Dictionary<string, string?>(StringComparer.Ordinal))], cancellationToken).ConfigureAwait(false);
        return files[0];
    }

    /// <summary>
    /// Writes each <see cref="ColumnBatch"/> as one data file of the table in the partition of its values (a table
    /// partitioned by resource type: one batch per type), without committing them; as
    /// <see cref="WriteColumnsAsync(ColumnBatch, IReadOnlyDictionary{string, string?}?, CancellationToken)"/> does for one.
    /// </summary>
    /// <exception cref="ArgumentException">A batch's columns are not the table's data columns, or its partition values do not match.</exception>
    /// <exception cref="ObjectDisposedException">A batch is disposed.</exception>
    public Task<IReadOnlyList<DataFile>> WriteColumnsAsync(
        IReadOnlyList<(ColumnBatch Batch, IReadOnlyDictionary<string, string?> PartitionValues)> batches, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batches);
        return Writer.WriteColumnsAsync(batches, cancellationToken);
    }

    /// <summary>Deletes the rows <paramref name="predicate"/> matches; files it rules out are not read.</summary>
    public Task<CommitResult> DeleteAsync(RowPredicate predicate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return RowRewrites.DeleteAsync(this, predicate, cancellationToken);
    }

    /// <summary>Deletes the rows for which <paramref name="predicate"/> is true (rows are <c>object?[]</c> in schema order).</summary>
    public Task<CommitResult> DeleteAsync(Func<object?[], bool> predicate, CancellationToken cancellationToken = default) =>
        DeleteAsync(RowPredicate.Where(predicate), cancellationToken);

    /// <summary>Replaces each row <paramref name="predicate"/> matches by <paramref name="update"/>'s result.</summary>
    public Task<CommitResult> UpdateAsync(RowPredicate predicate, Func<object?[], object?[]> update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentNullException.ThrowIfNull(update);
        return RowRewrites.UpdateAsync(this, predicate, update, cancellationToken);
    }

    /// <summary>Replaces each row for which <paramref name="predicate"/> is true by <paramref name="update"/>'s result.</summary>
    public Task<CommitResult> UpdateAsync(Func<object?[], bool> predicate, Func<object?[], object?[]> update, CancellationToken cancellationToken = default) =>
        UpdateAsync(RowPredicate.Where(predicate), update, cancellationToken);

    /// <summary>
    /// Rewrites the rows <paramref name="predicate"/> matches in ONE commit: each is replaced by <paramref name="rewrite"/>'s
    /// result, or deleted when it returns null (an UPDATE and a DELETE that readers see together or not at all).
    /// </summary>
    public Task<CommitResult> RewriteAsync(RowPredicate predicate, Func<object?[], object?[]?> rewrite, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentNullException.ThrowIfNull(rewrite);
        return RowRewrites.RewriteAsync(this, "MERGE", predicate, rewrite, cancellationToken);
    }

    /// <summary>
    /// Upserts <paramref name="source"/> by the key columns: a target row whose key matches a source row is replaced by it,
    /// source rows without a match are inserted. Source keys must be unique.
    /// </summary>
    public Task<CommitResult> MergeAsync(IEnumerable<object?[]> source, IReadOnlyList<string> keyColumns, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(keyColumns);
        return RowRewrites.MergeAsync(this, source, keyColumns, cancellationToken);
    }

    /// <summary>
    /// Deletes the rows <paramref name="predicate"/> matches and adds the data files <paramref name="writeFiles"/> writes
    /// under the table, in ONE commit: a reader sees the table before or after, never without the deleted rows and
    /// without their replacements. With <paramref name="txn"/>, a replacement the table already recorded writes nothing.
    /// </summary>
    public Task<CommitResult> ReplaceWhereAsync(
        RowPredicate predicate, Func<CancellationToken, Task<IReadOnlyList<DataFile>>> writeFiles, AppTransaction? txn = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentNullException.ThrowIfNull(writeFiles);
        return RowRewrites.ReplaceWhereAsync(this, predicate, writeFiles, txn, cancellationToken);
    }

    /// <summary>
    /// Commits <paramref name="newSchema"/> as the table schema. It must keep every existing column with its type,
    /// in order, and may only append nullable columns; files written before read the new columns as null.
    /// </summary>
    public Task<CommitResult> EvolveSchemaAsync(StructType newSchema, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(newSchema);
        return SchemaEvolution.EvolveAsync(this, newSchema, cancellationToken);
    }

    /// <summary>
    /// The changes of versions <paramref name="fromVersion"/>..<paramref name="toVersion"/> (latest when null), oldest first.
    /// Each row is the table row followed by <c>_change_type</c> (insert, delete, update_preimage, update_postimage),
    /// <c>_commit_version</c> (long) and <c>_commit_timestamp</c> (DateTimeOffset). Commits with cdc files yield them;
    /// other commits yield their added files as inserts and removed files as deletes. Requires
    /// <c>delta.enableChangeDataFeed</c> = true for updates and deletes to be exact.
    /// </summary>
    public IAsyncEnumerable<object?[]> ReadChangesAsync(long fromVersion, long? toVersion = null, CancellationToken cancellationToken = default) =>
        ChangeFeedReader.ReadAsync(this, fromVersion, toVersion, cancellationToken);

    /// <summary>
    /// The oldest version whose commit is still in the log: the change feed can be read from it on, not before (log
    /// cleanup, as after an erasure, removes older commits). One listing of the log; -1 for a table with no commit file.
    /// </summary>
    public async Task<long> GetEarliestCommitVersionAsync(CancellationToken cancellationToken = default)
    {
        var commits = (await Log.ListAsync(cancellationToken).ConfigureAwait(false)).Where(f => f.Kind == LogFileKind.Commit).ToList();
        return commits.Count == 0 ? -1 : commits.Min(f => f.Version);
    }

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
    public Task<VacuumResult> VacuumAsync(TimeSpan? retention = null, bool force = false, bool dryRun = false, TimeSpan? uncommittedGrace = null, CancellationToken cancellationToken = default) =>
        Vacuum.RunAsync(this, retention, force, dryRun, uncommittedGrace, cancellationToken);

    /// <summary>
    /// Deletes the log files (commits and checkpoints) older than the newest checkpoint written before the retention
    /// horizon (default: <c>delta.logRetentionDuration</c>, 30 days). The table keeps opening at every version from that
    /// checkpoint on; earlier versions can no longer be read. Returns the deleted keys.
    /// </summary>
    public Task<IReadOnlyList<string>> CleanUpLogAsync(TimeSpan? retention = null, CancellationToken cancellationToken = default) =>
        LogCleanup.RunAsync(this, retention, cancellationToken);
}
