using Fhirhouse.Delta.Actions;
using Fhirhouse.Delta.Log;
using Fhirhouse.Delta.Parquet;
using Fhirhouse.Delta.Scan;
using Fhirhouse.Storage;
using ParquetSharp;

namespace Fhirhouse.Delta.Columnar;

/// <summary>
/// Reads a data file of a table by column and row group, without boxing: text as strings (<see cref="ReadStringsAsync"/>)
/// or as UTF-8 bytes handed to a callback (<see cref="ForEachUtf8Async"/>, no .NET string made), timestamps, and other
/// primitive columns (<see cref="ReadValuesAsync"/>). Columns are named as the file stores them (the table's physical
/// names). Reads never wait on a task: in <see cref="ColumnarReadMode.Ranged"/> mode, bytes the synchronous Parquet
/// reader needs are fetched asynchronously first (the footer, then each column chunk). Partition values and deletion
/// vectors are not in the file: see <see cref="ScanFile"/>. Not thread-safe; disposing frees the file's memory.
/// </summary>
public sealed class ColumnarFileReader : IAsyncDisposable
{
    private const int Batch = 1024;

    /// <summary>What ParquetSharp reads first from the end of a file (Arrow's default footer read).</summary>
    private const int FooterPrefetch = 64 * 1024;

    private readonly PrefetchedReadStream? _stream;
    private readonly NativeParquetFile? _whole;
    private readonly ParquetFileReader _reader;
    private readonly FileMetaData _metadata;
    private readonly string _key;
    private bool _disposed;

    private ColumnarFileReader(string key, PrefetchedReadStream? stream, NativeParquetFile? whole, ParquetFileReader reader)
    {
        _key = key;
        _stream = stream;
        _whole = whole;
        _reader = reader;
        _metadata = reader.FileMetaData;
    }

    /// <summary>Row groups in the file.</summary>
    public int RowGroupCount => _metadata.NumRowGroups;

    /// <summary>Opens a scan file of a snapshot of a table in <paramref name="store"/>.</summary>
    /// <exception cref="InvalidDataException">The object is not a readable Parquet file.</exception>
    public static Task<ColumnarFileReader> OpenAsync(IObjectStore store, ScanFile file, ColumnarReadMode mode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(file);
        return OpenAsync(store, file.Key, mode, cancellationToken);
    }

    /// <summary>Opens a data file of <paramref name="table"/> named by its add action.</summary>
    /// <exception cref="InvalidDataException">The object is not a readable Parquet file.</exception>
    public static Task<ColumnarFileReader> OpenAsync(DeltaTable table, AddFile file, ColumnarReadMode mode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(file);
        return OpenAsync(table.Store, DeltaPath.KeyOf(table.Path, file.Path), mode, cancellationToken);
    }

    /// <summary>Rows in row group <paramref name="rowGroup"/>.</summary>
    public int RowGroupRows(int rowGroup)
    {
        ThrowIfDisposed();
        using var group = _reader.RowGroup(rowGroup);
        return checked((int)group.MetaData.NumRows);
    }

    /// <summary>The values of a text column in a row group; a value equal to the one before it is the same string instance.</summary>
    /// <exception cref="InvalidDataException">The file has no such column.</exception>
    public Task<string?[]> ReadStringsAsync(int rowGroup, string column, CancellationToken cancellationToken) =>
        RunAsync(rowGroup, column, (group, index, rows) =>
        {
            var result = new string?[rows];
            string? last = null;
            var lastBytes = new byte[256];
            var lastLength = 0;
            ForEachValue(group, index, rows, (int row, ByteArray value) =>
            {
                var bytes = Span(value);
                if (last is null || !bytes.SequenceEqual(lastBytes.AsSpan(0, lastLength)))
                {
                    last = System.Text.Encoding.UTF8.GetString(bytes);
                    if (bytes.Length > lastBytes.Length)
                    {
                        lastBytes = new byte[bytes.Length * 2];
                    }

                    bytes.CopyTo(lastBytes);
                    lastLength = bytes.Length;
                }

                result[row] = last;
            });
            return result;
        }, cancellationToken);

    /// <summary>The values of a timestamp column (stored as 64-bit integers, in any unit) in a row group, in UTC.</summary>
    /// <exception cref="InvalidDataException">The file has no such column, or it is not a 64-bit timestamp.</exception>
    public Task<DateTimeOffset?[]> ReadTimestampsAsync(int rowGroup, string column, CancellationToken cancellationToken) =>
        RunAsync(rowGroup, column, (group, index, rows) =>
        {
            using var logical = _metadata.Schema.Column(index).LogicalType;
            var ticks = logical is TimestampLogicalType t
                ? t.TimeUnit switch { TimeUnit.Millis => 10_000.0, TimeUnit.Micros => 10.0, _ => 0.01 }
                : throw new InvalidDataException($"Column '{column}' of '{_key}' is not a timestamp.");
            var result = new DateTimeOffset?[rows];
            ForEachValue(group, index, rows, (int row, long value) =>
                result[row] = new DateTimeOffset(DateTimeOffset.UnixEpoch.UtcTicks + (ticks >= 1 ? value * (long)ticks : value / 100), TimeSpan.Zero));
            return result;
        }, cancellationToken);

    /// <summary>
    /// The values of a column in a row group as ParquetSharp's logical type <typeparamref name="T"/> gives them: e.g.
    /// <c>long</c> for a required long column, <c>bool?</c> for a nullable boolean column.
    /// </summary>
    /// <exception cref="InvalidDataException">The file has no such column.</exception>
    public Task<T[]> ReadValuesAsync<T>(int rowGroup, string column, CancellationToken cancellationToken) =>
        RunAsync(rowGroup, column, (group, index, rows) =>
        {
            using var reader = group.Column(index).LogicalReader<T>();
            return reader.ReadAll(rows);
        }, cancellationToken);

    /// <summary>
    /// Calls <paramref name="visit"/> with each non-null value of a text column in a row group as UTF-8 bytes (valid only
    /// during the call), in row order, each once.
    /// </summary>
    /// <exception cref="InvalidDataException">The file has no such column.</exception>
    public async Task ForEachUtf8Async(int rowGroup, string column, Utf8Visitor visit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(visit);
        var visited = 0;
        await RunAsync(rowGroup, column, (group, index, rows) =>
        {
            // A read repeated after a fetch (ranged mode) skips the rows already handed over.
            ForEachValue(group, index, rows, (int row, ByteArray value) =>
            {
                if (row >= visited)
                {
                    visit(row, Span(value));
                    visited = row + 1;
                }
            });
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _metadata.Dispose();
        if (_whole is not null)
        {
            _whole.Dispose();
        }
        else
        {
            _reader.Dispose();
            await _stream!.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<ColumnarFileReader> OpenAsync(IObjectStore store, string key, ColumnarReadMode mode, CancellationToken cancellationToken)
    {
        if (mode == ColumnarReadMode.Whole)
        {
            var whole = await NativeParquetFile.OpenAsync(store, key, cancellationToken).ConfigureAwait(false);
            return new ColumnarFileReader(key, null, whole, whole.Reader);
        }

        var stream = new PrefetchedReadStream(await store.OpenReadAsync(key, cancellationToken).ConfigureAwait(false));
        try
        {
            await stream.PrefetchTailAsync(FooterPrefetch, cancellationToken).ConfigureAwait(false);
            var reader = await RetryAsync(stream, () => new ParquetFileReader(stream, leaveOpen: true), cancellationToken).ConfigureAwait(false);
            return new ColumnarFileReader(key, stream, null, reader);
        }
        catch (ParquetException e)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw new InvalidDataException($"'{key}' is not a readable Parquet file: {e.Message}", e);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private Task<T> RunAsync<T>(int rowGroup, string column, Func<RowGroupReader, int, int, T> read, CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(column);
        var index = _metadata.Schema.ColumnIndex(column);
        if (index < 0)
        {
            throw new InvalidDataException($"'{_key}' has no column '{column}'.");
        }

        T Read()
        {
            using var group = _reader.RowGroup(rowGroup);
            return read(group, index, checked((int)group.MetaData.NumRows));
        }

        return _stream is null ? Task.FromResult(Read()) : RetryAsync(_stream, Read, cancellationToken);
    }

    /// <summary>
    /// Runs a synchronous ParquetSharp read over <paramref name="stream"/>; when it needed bytes the store can only give
    /// asynchronously (S3), they are fetched asynchronously and the read runs again (a column chunk is read whole, so
    /// once per chunk). No thread waits on a task.
    /// </summary>
    private static async Task<T> RetryAsync<T>(PrefetchedReadStream stream, Func<T> read, CancellationToken cancellationToken)
    {
        (long Offset, int Length)? previous = null;
        while (true)
        {
            try
            {
                return read();
            }
            catch (Exception e) when (e is not OperationCanceledException && stream.TakeMissedRange() is { } missed && missed != previous)
            {
                await stream.PrefetchAsync(missed.Offset, missed.Length, cancellationToken).ConfigureAwait(false);
                previous = missed;
            }
        }
    }

    private delegate void ValueVisitor<in T>(int row, T value);

    /// <summary>Calls <paramref name="present"/> with the row and physical value of each non-null value of a column, in row order.</summary>
    private static void ForEachValue<T>(RowGroupReader group, int index, int rows, ValueVisitor<T> present)
        where T : unmanaged
    {
        using var column = group.Column(index);
        if (column is not ColumnReader<T> typed)
        {
            throw new InvalidDataException($"Column '{column.ColumnDescriptor.Name}' is stored as {column.ColumnDescriptor.PhysicalType}, not {typeof(T).Name}.");
        }

        var levels = new short[Batch];
        var values = new T[Batch];
        var required = typed.ColumnDescriptor.MaxDefinitionLevel == 0;
        var row = 0;
        while (typed.HasNext && row < rows)
        {
            var read = (int)typed.ReadBatch(Math.Min(Batch, rows - row), required ? null : levels, null, values, out _);
            var v = 0;
            for (var i = 0; i < read; i++, row++)
            {
                if (required || levels[i] != 0)
                {
                    present(row, values[v++]);
                }
            }
        }
    }

    private static unsafe ReadOnlySpan<byte> Span(ByteArray value) => new((void*)value.Pointer, value.Length);

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
