using Fhirhouse.Delta.Schema;

namespace Fhirhouse.Delta.Columnar;

/// <summary>
/// Rows of a table's data columns held by column, unboxed, text as UTF-8 in native memory: a writer fills each
/// <see cref="ColumnBuffer"/> with one value per row, calls <see cref="EndRow"/>, and writes the batch as one data file
/// with <see cref="DeltaTable.WriteColumnsAsync"/> (the Parquet types and statistics the row writer gives, without an
/// <c>object?[]</c> per row). <see cref="Clear"/> keeps the memory for the next batch. The batch owns its memory:
/// once disposed, its columns, rows and writes throw <see cref="ObjectDisposedException"/> (only <see cref="Schema"/>,
/// <see cref="Count"/> and <see cref="ReservedBytes"/> stay readable). Not thread-safe.
/// </summary>
public sealed class ColumnBatch : IDisposable
{
    private readonly NativeArena _arena;
    private readonly bool _ownsArena;
    private readonly ColumnBuffer[] _columns;
    private int _markedRows;
    private bool _disposed;

    /// <summary>
    /// A batch of the columns of <paramref name="schema"/> (string, long, timestamp, double, boolean, and arrays of them),
    /// each written with its <paramref name="columnOptions"/> (by column name; the defaults for the others). With
    /// <paramref name="arena"/>, text is copied there (batches of one commit, one per partition, can share one arena,
    /// so that memory follows the rows, not the partitions): the batch then neither resets nor frees it; its owner
    /// resets it once every batch sharing it is cleared, and disposes it after them.
    /// </summary>
    /// <exception cref="NotSupportedException">A column has another type.</exception>
    /// <exception cref="ArgumentException">An option names no plain column of the schema.</exception>
    public ColumnBatch(StructType schema, IReadOnlyDictionary<string, ColumnWriteOptions>? columnOptions = null, NativeArena? arena = null)
    {
        ArgumentNullException.ThrowIfNull(schema);
        Schema = schema;
        _ownsArena = arena is null;
        _arena = arena ?? new NativeArena();
        _columns = [.. schema.Fields.Select(f => new ColumnBuffer(f, this))];
        Options = new ColumnWriteOptions[_columns.Length];
        Array.Fill(Options, s_defaults);
        foreach (var (name, options) in columnOptions ?? new Dictionary<string, ColumnWriteOptions>())
        {
            var index = schema.IndexOf(name);
            if (index < 0 || _columns[index].IsList)
            {
                throw new ArgumentException(
                    $"Column options name '{name}', which is not a plain column of [{string.Join(", ", schema.Fields.Where(f => f.Type is not ArrayType).Select(f => f.Name))}].",
                    nameof(columnOptions));
            }

            Options[index] = options ?? throw new ArgumentException($"The options of column '{name}' are null.", nameof(columnOptions));
        }
    }

    private static readonly ColumnWriteOptions s_defaults = new();

    /// <summary>How each column is written, in schema order.</summary>
    internal ColumnWriteOptions[] Options { get; }

    /// <summary>The columns, in order.</summary>
    public StructType Schema { get; }

    /// <summary>Rows completed.</summary>
    public int Count { get; private set; }

    /// <summary>Native bytes reserved for text (reused after <see cref="Clear"/>; 0 once disposed), in the shared arena when one was given.</summary>
    public long ReservedBytes => _arena.Reserved;

    /// <summary>The column at <paramref name="index"/> (schema order).</summary>
    /// <exception cref="ObjectDisposedException">The batch is disposed.</exception>
    public ColumnBuffer this[int index]
    {
        get
        {
            ThrowIfDisposed();
            return _columns[index];
        }
    }

    /// <summary>The columns, for the writer (which must not read a disposed batch's freed text).</summary>
    internal IReadOnlyList<ColumnBuffer> Columns
    {
        get
        {
            ThrowIfDisposed();
            return _columns;
        }
    }

    /// <summary>Where the columns copy their text.</summary>
    internal NativeArena Arena => _arena;

    /// <summary>Completes a row: every column must have received exactly one value (or one array) since the last row.</summary>
    /// <exception cref="InvalidOperationException">A column has none, or more than one.</exception>
    /// <exception cref="ObjectDisposedException">The batch is disposed.</exception>
    public void EndRow()
    {
        ThrowIfDisposed();
        var expected = Count + 1;
        foreach (var column in _columns)
        {
            if (column.Rows != expected)
            {
                throw new InvalidOperationException(
                    $"Row {Count}: column '{column.Field.Name}' received {column.Rows - Count} values (one per row, and an array column's array ended with EndList).");
            }
        }

        Count = expected;
    }

    /// <summary>Remembers the rows so far, so that <see cref="ResetToMark"/> can drop the rows appended after (one mark at a time).</summary>
    /// <exception cref="ObjectDisposedException">The batch is disposed.</exception>
    public void Mark()
    {
        ThrowIfDisposed();
        _markedRows = Count;
        foreach (var column in _columns)
        {
            column.Mark();
        }
    }

    /// <summary>Drops every row (complete or not) appended since <see cref="Mark"/>.</summary>
    /// <exception cref="ObjectDisposedException">The batch is disposed.</exception>
    public void ResetToMark()
    {
        ThrowIfDisposed();
        Count = _markedRows;
        foreach (var column in _columns)
        {
            column.ResetToMark();
        }
    }

    /// <summary>Forgets every row; the memory stays for the next batch (a shared arena is reset by its owner).</summary>
    /// <exception cref="ObjectDisposedException">The batch is disposed.</exception>
    public void Clear()
    {
        ThrowIfDisposed();
        foreach (var column in _columns)
        {
            column.Clear();
        }

        if (_ownsArena)
        {
            _arena.Reset();
        }

        Count = _markedRows = 0;
    }

    /// <summary>Frees the native memory of the text (unless the arena is shared); calling it again does nothing.</summary>
    public void Dispose()
    {
        _disposed = true;
        if (_ownsArena)
        {
            _arena.Dispose();
        }
    }

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
