using System.Globalization;
using Fhirhouse.Delta.Actions;
using Fhirhouse.Delta.Log;
using Fhirhouse.Delta.Schema;
using Fhirhouse.Delta.Transactions;

namespace Fhirhouse.Delta.Operations;

/// <summary>
/// DELETE, UPDATE, MERGE and replace-where by copy-on-write, in one commit: the files the predicate may touch (judged
/// from partition values and statistics) are read one at a time; a file with a matching row is removed and its
/// surviving rows are written at once as new files (with their change data when the feed is on), so memory holds one
/// file's rows whatever the size of the table. Rows to insert and files the caller wrote go in the same commit.
/// </summary>
internal sealed class CopyOnWrite(DeltaTable table, Snapshot snapshot, string operation)
{
    private readonly Transaction _transaction = new(table, snapshot, operation) { ReadWholeTable = true };
    private readonly long _now = table.Options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
    private long _deleted;
    private long _updated;
    private long _inserted;

    /// <summary>The snapshot, refused when the table cannot be written or is append-only.</summary>
    public static async Task<Snapshot> WritableSnapshotAsync(DeltaTable table, string operation, CancellationToken cancellationToken)
    {
        var snapshot = await table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        TableFeatures.EnsureWritable(snapshot.Protocol, snapshot.Metadata, table.Path);
        if (TableFeatures.IsAppendOnly(snapshot.Metadata))
        {
            throw new InvalidOperationException($"Table '{table.Path}' is append-only (delta.appendOnly = true): {operation} is not allowed.");
        }

        return snapshot;
    }

    /// <summary>
    /// Rewrites the files holding rows that <paramref name="predicate"/> matches: each matching row is replaced by
    /// <paramref name="rewrite"/>'s result, or dropped when it returns null. When the predicate names the columns it
    /// needs, those alone are read first, and a file is read whole only when one of its rows matches.
    /// </summary>
    public async Task RewriteAsync(BoundRowPredicate predicate, Func<object?[], object?[]?> rewrite, CancellationToken cancellationToken)
    {
        var cdf = snapshot.Metadata.ChangeDataFeedEnabled;
        var columns = snapshot.Schema.Fields.Count;
        foreach (var scanFile in snapshot.ScanFiles())
        {
            var file = scanFile.Add;
            _transaction.ReadFiles.Add(DeltaPath.Canonical(file.Path));
            if (!predicate.MayMatch(scanFile)
                || (predicate.Columns is { } needed && !await AnyMatchAsync(file, needed, predicate, cancellationToken).ConfigureAwait(false)))
            {
                continue;
            }

            var rows = await snapshot.ReadFileAsync(file, cancellationToken).ConfigureAwait(false);
            List<object?[]>? survivors = null;
            var changes = new List<object?[]>();
            for (var i = 0; i < rows.Count; i++)
            {
                var row = rows[i];
                if (!predicate.Matches(row))
                {
                    survivors?.Add(row);
                    continue;
                }

                survivors ??= [.. rows.Take(i)];
                if (rewrite(row) is not { } after)
                {
                    _deleted++;
                    if (cdf)
                    {
                        changes.Add([.. row, "delete"]);
                    }

                    continue;
                }

                if (after.Length != columns)
                {
                    throw new ArgumentException($"An updated row has {after.Length} values but table '{table.Path}' has {columns} columns.");
                }

                _updated++;
                survivors.Add(after);
                if (cdf)
                {
                    changes.Add([.. row, "update_preimage"]);
                    changes.Add([.. after, "update_postimage"]);
                }
            }

            if (survivors is null)
            {
                continue;
            }

            _transaction.Add(TableWriter.Remove(file, _now));
            await WriteRowsAsync(survivors, changes, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>True when a row of <paramref name="file"/> matches, judged from the predicate's columns alone.</summary>
    private async Task<bool> AnyMatchAsync(AddFile file, IReadOnlySet<int> needed, BoundRowPredicate predicate, CancellationToken cancellationToken)
    {
        await foreach (var batch in snapshot.ReadFileBatchesAsync(file, needed, cancellationToken).ConfigureAwait(false))
        {
            foreach (var row in batch)
            {
                if (predicate.Matches(row))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Adds rows as new files (recorded as inserts in the change data feed).</summary>
    public async Task InsertAsync(IReadOnlyList<object?[]> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        _inserted += rows.Count;
        var changes = snapshot.Metadata.ChangeDataFeedEnabled ? rows.Select(r => (object?[])[.. r, "insert"]).ToList() : [];
        await WriteRowsAsync(rows, changes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Adds data files the caller wrote under the table (their rows recorded as inserts in the change data feed).</summary>
    public async Task AddFilesAsync(IReadOnlyList<DataFile> files, CancellationToken cancellationToken)
    {
        foreach (var add in table.Writer.ToAdds(snapshot, files, _now))
        {
            _transaction.Add(add);
            _inserted += add.NumRecords ?? 0;
            if (snapshot.Metadata.ChangeDataFeedEnabled)
            {
                var rows = await snapshot.ReadDataFileAsync(add.Path, add.PartitionValues, null, snapshot.Schema, cancellationToken).ConfigureAwait(false);
                _transaction.AddRange(await WriteChangesAsync([.. rows.Select(r => (object?[])[.. r, "insert"])], cancellationToken).ConfigureAwait(false));
            }
        }
    }

    /// <summary>Commits what was written, with <paramref name="txn"/> when given; nothing to commit keeps the version.</summary>
    public async Task<CommitResult> CommitAsync(AppTransaction? txn, CancellationToken cancellationToken)
    {
        if (_transaction.FilesRemoved == 0 && _transaction.FilesAdded == 0 && txn is null)
        {
            return new CommitResult(snapshot.Version, true, 0, 0);
        }

        if (txn is not null)
        {
            _transaction.Add(new SetTransaction(txn.AppId, txn.Version, _now));
        }

        _transaction.Parameters["numDeletedRows"] = _deleted.ToString(CultureInfo.InvariantCulture);
        _transaction.Parameters["numUpdatedRows"] = _updated.ToString(CultureInfo.InvariantCulture);
        _transaction.Parameters["numInsertedRows"] = _inserted.ToString(CultureInfo.InvariantCulture);
        var version = await _transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new CommitResult(version, false, _transaction.FilesAdded, _transaction.FilesRemoved);
    }

    private async Task WriteRowsAsync(IReadOnlyList<object?[]> rows, List<object?[]> changes, CancellationToken cancellationToken)
    {
        if (rows.Count > 0)
        {
            _transaction.AddRange(await table.Writer.NewFileWriter(snapshot).WriteAsync(rows, "", "part-00000", cancellationToken).ConfigureAwait(false));
        }

        if (changes.Count > 0)
        {
            _transaction.AddRange(await WriteChangesAsync(changes, cancellationToken).ConfigureAwait(false));
        }
    }

    private async Task<IEnumerable<AddCdcFile>> WriteChangesAsync(List<object?[]> changes, CancellationToken cancellationToken)
    {
        var schema = new StructType([.. snapshot.Schema.Fields, new StructField(ChangeFeedReader.ChangeTypeColumn, PrimitiveType.String)]);
        var metadata = snapshot.Metadata with { SchemaString = SchemaJson.Serialize(schema) };
        var writer = new DataFileWriter(table.Log.Parquet, table.Path, metadata, table.Options.TimeProvider, table.Options.MaxRowsPerFile);
        var adds = await writer.WriteAsync(changes, "_change_data/", "cdc-00000", cancellationToken).ConfigureAwait(false);
        return adds.Select(a => new AddCdcFile(a.Path, a.PartitionValues, a.Size, false));
    }
}
