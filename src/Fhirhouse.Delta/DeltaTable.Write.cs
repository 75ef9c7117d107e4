using Fhirhouse.Delta.Actions;
using Fhirhouse.Delta.Columnar;
using Fhirhouse.Delta.Log;
using Fhirhouse.Delta.Parquet;
using Fhirhouse.Delta.Schema;
using Fhirhouse.Delta.Transactions;
using Fhirhouse.Storage;

namespace Fhirhouse.Delta;

/// <summary>Creating a table and writing rows: append, overwrite.</summary>
public sealed partial class DeltaTable
{
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
        partitionColumns ??= [];
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
        var transaction = new Transaction(table, -1, "CREATE TABLE");
        transaction.Parameters["partitionBy"] = System.Text.Json.JsonSerializer.Serialize(partitionColumns);
        transaction.Add(protocol);
        transaction.Add(metadata);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return table;
    }

    /// <summary>
    /// Appends rows (each an <c>object?[]</c> in schema order) as new files in one commit. With <paramref name="txn"/>,
    /// a batch whose version the table already recorded for that application is skipped.
    /// </summary>
    public Task<CommitResult> AppendAsync(IEnumerable<object?[]> rows, AppTransaction? txn = null, CancellationToken cancellationToken = default) =>
        WriteAsync(rows, overwrite: false, txn, cancellationToken);

    /// <summary>Replaces every row of the table with <paramref name="rows"/> in one commit.</summary>
    public Task<CommitResult> OverwriteAsync(IEnumerable<object?[]> rows, AppTransaction? txn = null, CancellationToken cancellationToken = default) =>
        WriteAsync(rows, overwrite: true, txn, cancellationToken);

    /// <summary>
    /// A new data file path (relative to the table, not yet encoded) in the Hive-style folder of
    /// <paramref name="partitionValues"/> (in the table's partition column order), for a caller that writes its own
    /// Parquet file and commits it with <see cref="AppendFilesAsync"/>.
    /// </summary>
    public static string NewDataFilePath(IEnumerable<KeyValuePair<string, string?>> partitionValues) =>
        DataFileWriter.Folder(partitionValues) + $"part-00000-{Guid.NewGuid():D}-c000.snappy.parquet";

    /// <summary>The object key of a data file path relative to the table.</summary>
    public string DataFileKey(string relativePath) => Path.Length == 0 ? relativePath : Path + "/" + relativePath;

    /// <summary>
    /// Appends data files the caller writes itself under the table (see <see cref="DataFile"/>) in one commit:
    /// <paramref name="writeFiles"/> is called only when the table has not yet recorded <paramref name="txn"/> (the
    /// exactly-once rule of <see cref="AppendAsync"/>), so a batch already committed writes nothing.
    /// </summary>
    public Task<CommitResult> AppendFilesAsync(Func<CancellationToken, Task<IReadOnlyList<DataFile>>> writeFiles, AppTransaction? txn = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writeFiles);
        return CommitFilesAsync(writeFiles, overwrite: false, txn, cancellationToken);
    }

    /// <summary>
    /// Replaces every row of the table with the rows of data files already written under it (see
    /// <see cref="WriteDataFilesAsync"/>), in one commit, with the <paramref name="txn"/> rule of <see cref="OverwriteAsync"/>.
    /// </summary>
    public Task<CommitResult> OverwriteFilesAsync(IReadOnlyList<DataFile> files, AppTransaction? txn = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        return CommitFilesAsync(_ => Task.FromResult(files), overwrite: true, txn, cancellationToken);
    }

    /// <summary>
    /// Replaces every row of the table with the rows of data files the caller writes itself (see <see cref="DataFile"/>),
    /// in one commit: <paramref name="writeFiles"/> is called only when the table has not yet recorded <paramref name="txn"/>.
    /// </summary>
    public Task<CommitResult> OverwriteFilesAsync(Func<CancellationToken, Task<IReadOnlyList<DataFile>>> writeFiles, AppTransaction? txn = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writeFiles);
        return CommitFilesAsync(writeFiles, overwrite: true, txn, cancellationToken);
    }

    /// <summary>
    /// Writes rows (each an <c>object?[]</c> in schema order) as data files of the table without committing them, so
    /// that a caller can write a large result piece by piece and commit all the pieces at once
    /// (<see cref="AppendFilesAsync"/>, <see cref="OverwriteFilesAsync"/>).
    /// </summary>
    public async Task<IReadOnlyList<DataFile>> WriteDataFilesAsync(IEnumerable<object?[]> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var snapshot = await GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        TableFeatures.EnsureWritable(snapshot.Protocol, snapshot.Metadata, Path);
        var adds = await NewFileWriter(snapshot).WriteAsync(rows, "", "part-00000", cancellationToken).ConfigureAwait(false);
        return [.. adds.Select(a => new DataFile(DeltaPath.Decode(a.Path), a.PartitionValues, a.Size, a.Stats))];
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
        var files = await WriteColumnsAsync([(batch, partitionValues ?? new Dictionary<string, string?>(StringComparer.Ordinal))], cancellationToken).ConfigureAwait(false);
        return files[0];
    }

    /// <summary>
    /// Writes each <see cref="ColumnBatch"/> as one data file of the table in the partition of its values (a table
    /// partitioned by resource type: one batch per type), without committing them; as
    /// <see cref="WriteColumnsAsync(ColumnBatch, IReadOnlyDictionary{string, string?}?, CancellationToken)"/> does for one.
    /// </summary>
    /// <exception cref="ArgumentException">A batch's columns are not the table's data columns, or its partition values do not match.</exception>
    /// <exception cref="ObjectDisposedException">A batch is disposed.</exception>
    public async Task<IReadOnlyList<DataFile>> WriteColumnsAsync(
        IReadOnlyList<(ColumnBatch Batch, IReadOnlyDictionary<string, string?> PartitionValues)> batches, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batches);
        var snapshot = await GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        TableFeatures.EnsureWritable(snapshot.Protocol, snapshot.Metadata, Path);
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
                    $"Table '{Path}' is partitioned by [{string.Join(", ", partitionColumns)}]; the batch names [{string.Join(", ", partitionValues.Keys)}].", nameof(batches));
            }

            if (!dataSchema.Equals(batch.Schema))
            {
                throw new ArgumentException($"The batch's columns {batch.Schema} are not the data columns {dataSchema} of table '{Path}'.", nameof(batches));
            }

            var path = NewDataFilePath(partitionColumns.Select(c => new KeyValuePair<string, string?>(c, partitionValues[c])));
            var size = await NativeParquetOutput.PutAsync(Store, DataFileKey(path), output => ColumnBatchWriter.Write(output, batch), cancellationToken).ConfigureAwait(false);
            files.Add(new DataFile(path, partitionValues, size, ColumnBatchWriter.Statistics(batch)));
        }

        return files;
    }

    private async Task<CommitResult> CommitFilesAsync(
        Func<CancellationToken, Task<IReadOnlyList<DataFile>>> writeFiles, bool overwrite, AppTransaction? txn, CancellationToken cancellationToken)
    {
        var snapshot = await WritableSnapshotAsync(overwrite, cancellationToken).ConfigureAwait(false);
        if (txn is not null && snapshot.GetTransactionVersion(txn.AppId) >= txn.Version)
        {
            return new CommitResult(snapshot.Version, true, 0, 0);
        }

        var files = await writeFiles(cancellationToken).ConfigureAwait(false);
        var adds = ToAdds(snapshot, files, Options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds());
        return await CommitAddsAsync(snapshot, adds, overwrite, txn, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The add actions of data files a caller wrote under the table, refused when their partition values do not fit it.</summary>
    internal List<AddFile> ToAdds(Snapshot snapshot, IReadOnlyList<DataFile> files, long now)
    {
        var partitionColumns = snapshot.Metadata.PartitionColumns;
        var adds = new List<AddFile>(files.Count);
        foreach (var file in files)
        {
            if (file.PartitionValues.Count != partitionColumns.Count || partitionColumns.Any(c => !file.PartitionValues.ContainsKey(c)))
            {
                throw new ArgumentException(
                    $"Data file '{file.RelativePath}' has partition values for [{string.Join(", ", file.PartitionValues.Keys)}] but table '{Path}' is partitioned by [{string.Join(", ", partitionColumns)}].",
                    nameof(files));
            }

            adds.Add(new AddFile(DeltaPath.Encode(file.RelativePath), file.PartitionValues, file.Size, now, true, file.Stats));
        }

        return adds;
    }

    private async Task<CommitResult> WriteAsync(IEnumerable<object?[]> rows, bool overwrite, AppTransaction? txn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var snapshot = await WritableSnapshotAsync(overwrite, cancellationToken).ConfigureAwait(false);
        if (txn is not null && snapshot.GetTransactionVersion(txn.AppId) >= txn.Version)
        {
            return new CommitResult(snapshot.Version, true, 0, 0);
        }

        var adds = await NewFileWriter(snapshot).WriteAsync(rows, "", "part-00000", cancellationToken).ConfigureAwait(false);
        return await CommitAddsAsync(snapshot, adds, overwrite, txn, cancellationToken).ConfigureAwait(false);
    }

    private async Task<Snapshot> WritableSnapshotAsync(bool overwrite, CancellationToken cancellationToken)
    {
        var snapshot = await GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        TableFeatures.EnsureWritable(snapshot.Protocol, snapshot.Metadata, Path);
        if (overwrite && TableFeatures.IsAppendOnly(snapshot.Metadata))
        {
            throw new InvalidOperationException($"Table '{Path}' is append-only (delta.appendOnly = true): OVERWRITE is not allowed.");
        }

        return snapshot;
    }

    /// <summary>One commit of new files (replacing every file of the snapshot when overwriting), with the txn when given.</summary>
    private async Task<CommitResult> CommitAddsAsync(Snapshot snapshot, List<AddFile> adds, bool overwrite, AppTransaction? txn, CancellationToken cancellationToken)
    {
        var now = Options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var transaction = new Transaction(this, snapshot.Version, "WRITE");
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

    internal DataFileWriter NewFileWriter(Snapshot snapshot) => new(Log.Parquet, Path, snapshot.Metadata, Options.TimeProvider, Options.MaxRowsPerFile);

    internal static RemoveFile Remove(AddFile file, long deletionTimestamp) =>
        new(file.Path, deletionTimestamp, true, true, file.PartitionValues, file.Size, file.Tags, file.DeletionVector);
}
