using System.Runtime.CompilerServices;
using Fhirhouse.Delta.Actions;
using Fhirhouse.Delta.DeletionVectors;
using Fhirhouse.Delta.Log;
using Fhirhouse.Delta.Operations;
using Fhirhouse.Delta.Scan;
using Fhirhouse.Delta.Schema;

namespace Fhirhouse.Delta;

/// <summary>
/// The state of a table at one version: protocol, metadata, schema, live files, app transactions. Rows are read
/// with <see cref="ReadRowsAsync"/>; each row is an <c>object?[]</c> in <see cref="Schema"/> order.
/// </summary>
public sealed class Snapshot
{
    private readonly DeltaLog _log;
    private readonly TableState _state;
    private ScanFile[]? _scanFiles;

    internal Snapshot(DeltaLog log, long version, TableState state, DateTimeOffset timestamp, long? checkpointVersion)
    {
        _log = log;
        _state = state;
        Version = version;
        Timestamp = timestamp;
        CheckpointVersion = checkpointVersion;
    }

    /// <summary>The table version this snapshot shows.</summary>
    public long Version { get; }

    /// <summary>When that version was committed (commitInfo time, else the commit file's modification time).</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>The checkpoint the replay started from, if any.</summary>
    public long? CheckpointVersion { get; }

    public Protocol Protocol => _state.Protocol;

    public Metadata Metadata => _state.Metadata;

    /// <summary>The table schema (logical names), partition columns included.</summary>
    public StructType Schema => _state.Metadata.Schema;

    public IReadOnlyList<string> PartitionColumns => _state.Metadata.PartitionColumns;

    /// <summary>The data files of this version.</summary>
    public IReadOnlyList<AddFile> Files => _state.Files;

    /// <summary>Removed files still remembered by the log (what VACUUM may delete once old enough).</summary>
    public IReadOnlyList<RemoveFile> Tombstones => _state.Tombstones;

    /// <summary>The active domain metadata by domain name.</summary>
    public IReadOnlyDictionary<string, DomainMetadata> Domains => _state.Domains;

    /// <summary>The table path inside the store.</summary>
    public string TablePath => _log.TablePath;

    internal DeltaLog Log => _log;

    internal TableState State => _state;

    /// <summary>The last batch version committed by <paramref name="appId"/> (txn action), or null.</summary>
    public long? GetTransactionVersion(string appId) =>
        _state.Transactions.TryGetValue(appId, out var txn) ? txn.Version : null;

    /// <summary>Sum of numRecords over the files whose stats have it, else null when one file lacks stats.</summary>
    public long? CountFromStatistics()
    {
        long total = 0;
        foreach (var file in Files)
        {
            if (file.NumRecords is not { } n)
            {
                return null;
            }

            total += n - (file.DeletionVector?.Cardinality ?? 0);
        }

        return total;
    }

    /// <summary>
    /// The data files of this version as a reader needs them (object key, partition values, parsed statistics,
    /// deletion vector), in the order of <see cref="Files"/>; with <paramref name="predicate"/>, only the files that
    /// may hold a row it matches, judged from partition values and statistics (data skipping; a
    /// <see cref="RowPredicate.Where"/> test keeps every file). The rows of a kept file still need the predicate.
    /// </summary>
    /// <exception cref="ArgumentException">The predicate names a column that is not in the schema, or a value of another type.</exception>
    public IReadOnlyList<ScanFile> ScanFiles(RowPredicate? predicate = null)
    {
        var all = _scanFiles ??= CreateScanFiles();
        if (predicate is null)
        {
            return all;
        }

        var bound = predicate.Bind(this);
        var kept = new List<ScanFile>();
        foreach (var file in all)
        {
            if (bound.MayMatch(file))
            {
                kept.Add(file);
            }
        }

        return kept;
    }

    /// <summary>
    /// The files that may hold rows whose <paramref name="column"/> lies within [<paramref name="lower"/>,
    /// <paramref name="upper"/>] (a null bound is open), judged from partition values and min/max statistics; files
    /// without statistics are kept. Bounds use the column's row value type (long for long, DateOnly for date...).
    /// </summary>
    public IReadOnlyList<AddFile> FilesMayContain(string column, object? lower, object? upper)
    {
        ArgumentNullException.ThrowIfNull(column);
        var range = new List<RowPredicate>();
        if (lower is not null)
        {
            range.Add(RowPredicate.Compare(column, Comparison.GreaterOrEqual, lower));
        }

        if (upper is not null)
        {
            range.Add(RowPredicate.Compare(column, Comparison.LessOrEqual, upper));
        }

        if (range.Count == 0 && Schema.IndexOf(column) < 0)
        {
            throw new ArgumentException($"Column '{column}' is not in the schema of '{TablePath}'.", nameof(column));
        }

        return [.. ScanFiles(RowPredicate.And(range)).Select(f => f.Add)];
    }

    private ScanFile[] CreateScanFiles()
    {
        var columns = new ScanColumns(TablePath, Metadata);
        var files = new ScanFile[Files.Count];
        for (var i = 0; i < files.Length; i++)
        {
            files[i] = new ScanFile(columns, Files[i]);
        }

        return files;
    }

    /// <summary>Every row of this version, file by file (deletion vectors applied, partition values from the log).</summary>
    public IAsyncEnumerable<object?[]> ReadRowsAsync(CancellationToken cancellationToken = default) => ReadRowsAsync(null, cancellationToken);

    /// <summary>
    /// Every row of this version with only <paramref name="columns"/> read (a projected scan: the other columns of the
    /// files are not decoded and are null in the rows, which keep the schema's width and order); null reads them all.
    /// </summary>
    /// <exception cref="ArgumentException">A column is not in the schema.</exception>
    public async IAsyncEnumerable<object?[]> ReadRowsAsync(IEnumerable<string>? columns, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var projection = columns is null ? null : ColumnIndexes(columns);
        foreach (var file in Files)
        {
            await foreach (var batch in ReadDataFileBatchesAsync(file.Path, file.PartitionValues, file.DeletionVector, Schema, projection, cancellationToken).ConfigureAwait(false))
            {
                foreach (var row in batch)
                {
                    yield return row;
                }
            }
        }
    }

    /// <summary>The schema positions of <paramref name="columns"/>.</summary>
    /// <exception cref="ArgumentException">A column is not in the schema.</exception>
    internal HashSet<int> ColumnIndexes(IEnumerable<string> columns)
    {
        var indexes = new HashSet<int>();
        foreach (var column in columns)
        {
            var index = Schema.IndexOf(column);
            indexes.Add(index >= 0 ? index : throw new ArgumentException($"Column '{column}' is not in the schema of '{TablePath}'.", nameof(columns)));
        }

        return indexes;
    }

    /// <summary>The rows of one file of this snapshot with only <paramref name="columns"/> read (the others null), batch by batch.</summary>
    internal IAsyncEnumerable<List<object?[]>> ReadFileBatchesAsync(AddFile file, IReadOnlySet<int>? columns, CancellationToken cancellationToken) =>
        ReadDataFileBatchesAsync(file.Path, file.PartitionValues, file.DeletionVector, Schema, columns, cancellationToken);

    /// <summary>The rows of one file of this snapshot, shaped as <see cref="Schema"/>.</summary>
    internal Task<List<object?[]>> ReadFileAsync(AddFile file, CancellationToken cancellationToken) =>
        ReadDataFileAsync(file.Path, file.PartitionValues, file.DeletionVector, Schema, cancellationToken);

    /// <summary>The rows of any data file of the table (live, removed or change data), shaped as <paramref name="schema"/>.</summary>
    internal async Task<List<object?[]>> ReadDataFileAsync(
        string path,
        IReadOnlyDictionary<string, string?> filePartitionValues,
        DeletionVectorDescriptor? deletionVector,
        StructType schema,
        CancellationToken cancellationToken)
    {
        var rows = new List<object?[]>();
        await foreach (var batch in ReadDataFileBatchesAsync(path, filePartitionValues, deletionVector, schema, null, cancellationToken).ConfigureAwait(false))
        {
            rows.AddRange(batch);
        }

        return rows;
    }

    private async IAsyncEnumerable<List<object?[]>> ReadDataFileBatchesAsync(
        string path,
        IReadOnlyDictionary<string, string?> filePartitionValues,
        DeletionVectorDescriptor? deletionVector,
        StructType schema,
        IReadOnlySet<int>? columns,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var mode = Metadata.ColumnMapping;
        var partitionIndexes = new HashSet<int>();
        foreach (var column in PartitionColumns)
        {
            var index = schema.IndexOf(column);
            if (index < 0)
            {
                throw new DeltaProtocolException(TablePath, $"partition column '{column}' is not in the schema.");
            }

            partitionIndexes.Add(index);
        }

        var dataFields = new List<StructField>();
        var dataIndexes = new List<int>();
        for (var i = 0; i < schema.Fields.Count; i++)
        {
            if (!partitionIndexes.Contains(i) && (columns is null || columns.Contains(i)))
            {
                dataFields.Add(schema.Fields[i]);
                dataIndexes.Add(i);
            }
        }

        RoaringBitmapArray? deleted = null;
        if (deletionVector is { } dv)
        {
            deleted = await DeletionVectorReader.ReadAsync(_log.Store, TablePath, dv, cancellationToken).ConfigureAwait(false);
        }

        var partitionValues = new object?[schema.Fields.Count];
        foreach (var index in partitionIndexes)
        {
            var field = schema.Fields[index];
            var physical = field.PhysicalName(mode);
            var text = LookUp(filePartitionValues, physical) ?? (physical != field.Name ? LookUp(filePartitionValues, field.Name) : null);
            partitionValues[index] = PartitionValueParser.Parse(text, field.Type, field.Name);
        }

        var key = DeltaPath.KeyOf(TablePath, path);
        long rowIndex = 0;
        await foreach (var rows in _log.Parquet.ReadBatchesAsync(key, new StructType(dataFields), mode, cancellationToken).ConfigureAwait(false))
        {
            var result = new List<object?[]>(rows.Count);
            foreach (var data in rows)
            {
                var position = rowIndex++;
                if (deleted is not null && deleted.Contains(position))
                {
                    continue;
                }

                var row = new object?[schema.Fields.Count];
                for (var i = 0; i < dataIndexes.Count; i++)
                {
                    row[dataIndexes[i]] = data[i];
                }

                foreach (var index in partitionIndexes)
                {
                    row[index] = partitionValues[index];
                }

                result.Add(row);
            }

            yield return result;
        }
    }

    private static string? LookUp(IReadOnlyDictionary<string, string?> values, string name)
    {
        if (values.TryGetValue(name, out var exact))
        {
            return exact;
        }

        foreach (var (k, v) in values)
        {
            if (string.Equals(k, name, StringComparison.OrdinalIgnoreCase))
            {
                return v;
            }
        }

        return null;
    }
}
