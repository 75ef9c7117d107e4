using Fhirhouse.Delta.Actions;
using Fhirhouse.Delta.Columnar;
using Fhirhouse.Delta.Log;
using Fhirhouse.Delta.Parquet;
using Fhirhouse.Delta.Schema;
using Fhirhouse.Storage;

namespace Fhirhouse.Delta.Transactions;

/// <summary>
/// The write path of a table: creating it, writing rows or column batches as data files, and committing new files
/// (append, overwrite) with the exactly-once rule of application transactions.
/// </summary>
internal sealed class TableWriter(DeltaTable table)
{
    /// <summary>Version 0 of a new table: protocol, metaData, commitInfo.</summary>
    public static async Task CreateAsync(DeltaTable table, StructType schema, IReadOnlyList<string> partitionColumns, IReadOnlyDictionary<string, string>? configuration, CancellationToken cancellationToken)
    {
        foreach (var column in partitionColumns)
        {
            var index = schema.IndexOf(column);
            if (index < 0 || schema.Fields[index].Type is not (PrimitiveType or DecimalType))
            {
                throw new ArgumentException($"Partition column '{column}' must be a primitive column of the schema.", nameof(partitionColumns));
            }
        }

        var config = new Dictionary<string, string>(configuration ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        var now = table.Options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var metadata = new Metadata(Guid.NewGuid().ToString("D"), null, null, FileFormat.Parquet, SchemaJson.Serialize(schema),
            [.. partitionColumns], config, now);
        var protocol = new Protocol(1, metadata.ChangeDataFeedEnabled ? 4 : 2);
        var transaction = new Transaction(table, null, "CREATE TABLE");
        transaction.Parameters["partitionBy"] = System.Text.Json.JsonSerializer.Serialize(partitionColumns);
        transaction.Add(protocol);
        transaction.Add(metadata);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A new data file path (relative, not encoded) in the Hive-style folder of the partition values.</summary>
    public static string NewDataFilePath(IEnumerable<KeyValuePair<string, string?>> partitionValues) =>
        DataFileWriter.Folder(partitionValues) + $"part-00000-{Guid.NewGuid():D}-c000.snappy.parquet";

    /// <summary>The object key of a data file path relative to the table.</summary>
    public string KeyOf(string relativePath) => table.Path.Length == 0 ? relativePath : table.Path + "/" + relativePath;

    /// <summary>Rows as new files in one commit, replacing every file when overwriting; skipped when the txn is recorded.</summary>
    public async Task<CommitResult> WriteAsync(IEnumerable<object?[]> rows, bool overwrite, AppTransaction? txn, CancellationToken cancellationToken)
    {
        var snapshot = await WritableSnapshotAsync(overwrite, cancellationToken).ConfigureAwait(false);
        if (txn is not null && snapshot.GetTransactionVersion(txn.AppId) >= txn.Version)
        {
            return new CommitResult(snapshot.Version, true, 0, 0);
        }

        var adds = await NewFileWriter(snapshot).WriteAsync(rows, "", "part-00000", cancellationToken).ConfigureAwait(false);
        return await CommitAddsAsync(snapshot, adds, overwrite, txn, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Data files the caller writes (only when the txn is not yet recorded), committed in one commit.</summary>
    public async Task<CommitResult> CommitFilesAsync(
        Func<CancellationToken, Task<IReadOnlyList<DataFile>>> writeFiles, bool overwrite, AppTransaction? txn, CancellationToken cancellationToken)
    {
        var snapshot = await WritableSnapshotAsync(overwrite, cancellationToken).ConfigureAwait(false);
        if (txn is not null && snapshot.GetTransactionVersion(txn.AppId) >= txn.Version)
        {
            return new CommitResult(snapshot.Version, true, 0, 0);
        }

        var files = await writeFiles(cancellationToken).ConfigureAwait(false);
        var adds = ToAdds(snapshot, files, table.Options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds());
        return await CommitAddsAsync(snapshot, adds, overwrite, txn, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Rows written as data files, not committed.</summary>
    public async Task<IReadOnlyList<DataFile>> WriteDataFilesAsync(IEnumerable<object?[]> rows, CancellationToken cancellationToken)
    {
        var snapshot = await table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        TableFeatures.EnsureWritable(snapshot.Protocol, snapshot.Metadata, table.Path);
        var adds = await NewFileWriter(snapshot).WriteAsync(rows, "", "part-00000", cancellationToken).ConfigureAwait(false);
        return [.. adds.Select(a => new DataFile(DeltaPath.Decode(a.Path), a.PartitionValues, a.Size, a.Stats))];
    }

    /// <summary>Each batch written as one data file in the partition of its values, not committed.</summary>
    public async Task<IReadOnlyList<DataFile>> WriteColumnsAsync(
        IReadOnlyList<(ColumnBatch Batch, IReadOnlyDictionary<string, string?> PartitionValues)> batches, CancellationToken cancellationToken)
    {
        var snapshot = await table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        TableFeatures.EnsureWritable(snapshot.Protocol, snapshot.Metadata, table.Path);
        var partitionColumns = snapshot.Metadata.PartitionColumns;
        var dataSchema = new StructType([.. snapshot.Schema.Fields.Where(f => !partitionColumns.Contains(f.Name))]);
        var files = new List<DataFile>(batches.Count);
        foreach (var (batch, partitionValues) in batches)
        {
            ArgumentNullException.ThrowIfNull(batch, nameof(batches));
            ArgumentNullException.ThrowIfNull(partitionValues, nameof(batches));
            batch.ThrowIfDisposed();
            if (partitionValues.Count != partitionColumns.Count || partitionColumns.Any(c => !partitionValues.ContainsKey(c)))
            {
                throw new ArgumentException(
                    $"Table '{table.Path}' is partitioned by [{string.Join(", ", partitionColumns)}]; the batch names [{string.Join(", ", partitionValues.Keys)}].", nameof(batches));
            }

            if (!dataSchema.Equals(batch.Schema))
            {
                throw new ArgumentException($"The batch's columns {batch.Schema} are not the data columns {dataSchema} of table '{table.Path}'.", nameof(batches));
            }

            var path = NewDataFilePath(partitionColumns.Select(c => new KeyValuePair<string, string?>(c, partitionValues[c])));
            var size = await NativeParquetOutput.PutAsync(table.Store, KeyOf(path), output => ColumnBatchWriter.Write(output, batch), cancellationToken).ConfigureAwait(false);
            files.Add(new DataFile(path, partitionValues, size, ColumnBatchWriter.Statistics(batch)));
        }

        return files;
    }

    /// <summary>The add actions of data files a caller wrote under the table, refused when their partition values do not fit it.</summary>
    public List<AddFile> ToAdds(Snapshot snapshot, IReadOnlyList<DataFile> files, long now)
    {
        var partitionColumns = snapshot.Metadata.PartitionColumns;
        var adds = new List<AddFile>(files.Count);
        foreach (var file in files)
        {
            if (file.PartitionValues.Count != partitionColumns.Count || partitionColumns.Any(c => !file.PartitionValues.ContainsKey(c)))
            {
                throw new ArgumentException(
                    $"Data file '{file.RelativePath}' has partition values for [{string.Join(", ", file.PartitionValues.Keys)}] but table '{table.Path}' is partitioned by [{string.Join(", ", partitionColumns)}].",
                    nameof(files));
            }

            adds.Add(new AddFile(DeltaPath.Encode(file.RelativePath), file.PartitionValues, file.Size, now, true, file.Stats));
        }

        return adds;
    }

    /// <summary>The writer of row data files for the snapshot's metadata.</summary>
    public DataFileWriter NewFileWriter(Snapshot snapshot) =>
        new(table.Log.Parquet, table.Path, snapshot.Metadata, table.Options.TimeProvider, table.Options.MaxRowsPerFile);

    /// <summary>The remove action of a file, as of <paramref name="deletionTimestamp"/>.</summary>
    public static RemoveFile Remove(AddFile file, long deletionTimestamp) =>
        new(file.Path, deletionTimestamp, true, true, file.PartitionValues, file.Size, file.Tags, file.DeletionVector);

    private async Task<Snapshot> WritableSnapshotAsync(bool overwrite, CancellationToken cancellationToken)
    {
        var snapshot = await table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        TableFeatures.EnsureWritable(snapshot.Protocol, snapshot.Metadata, table.Path);
        if (overwrite && TableFeatures.IsAppendOnly(snapshot.Metadata))
        {
            throw new InvalidOperationException($"Table '{table.Path}' is append-only (delta.appendOnly = true): OVERWRITE is not allowed.");
        }

        return snapshot;
    }

    /// <summary>One commit of new files (replacing every file of the snapshot when overwriting), with the txn when given.</summary>
    private async Task<CommitResult> CommitAddsAsync(Snapshot snapshot, List<AddFile> adds, bool overwrite, AppTransaction? txn, CancellationToken cancellationToken)
    {
        var now = table.Options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var transaction = new Transaction(table, snapshot, "WRITE");
        transaction.Parameters["mode"] = overwrite ? "Overwrite" : "Append";
        if (overwrite)
        {
            transaction.ReadWholeTable = true;
            foreach (var file in snapshot.Files)
            {
                transaction.ReadFiles.Add(DeltaPath.Canonical(file.Path));
                transaction.Add(Remove(file, now));
            }
        }

        transaction.AddRange(adds);
        if (txn is not null)
        {
            transaction.Add(new SetTransaction(txn.AppId, txn.Version, now));
        }

        var version = await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new CommitResult(version, false, transaction.FilesAdded, transaction.FilesRemoved);
    }
}
