using Fhirhouse.Delta.Schema;
using ParquetSharp;

namespace Fhirhouse.Delta.Columnar;

/// <summary>
/// The values of one column of a <see cref="ColumnBatch"/>, kept as Parquet will store them: definition and repetition
/// levels, and the non-null values unboxed (text as UTF-8 in the batch's <see cref="NativeArena"/>). A row of a plain
/// column is one <c>Append</c> or <see cref="AppendNull"/>; a row of an array column is <see cref="AppendNull"/> (a
/// null array) or <see cref="BeginList"/>, its elements, <see cref="EndList"/>. Once its batch is disposed, every
/// method throws <see cref="ObjectDisposedException"/>.
/// </summary>
public sealed class ColumnBuffer
{
    private readonly ColumnBatch _batch;
    private readonly NativeArena _arena;
    private readonly bool _nullable;
    private readonly bool _elementNullable;
    private short[] _def = [];
    private short[] _rep = [];
    private ByteArray[] _bytes = [];
    private long[] _longs = [];
    private double[] _doubles = [];
    private bool[] _bools = [];
    private bool _inList;
    private int _listItems;
    private (int Levels, int Values, int Rows, long Nulls) _mark;
    private string? _lastText;
    private ByteArray _lastBytes;

    internal ColumnBuffer(StructField field, ColumnBatch batch)
    {
        Field = field;
        _batch = batch;
        _arena = batch.Arena;
        _nullable = field.Nullable;
        var type = field.Type;
        if (type is ArrayType array)
        {
            IsList = true;
            _elementNullable = array.ContainsNull;
            type = array.ElementType;
        }

        Kind = type switch
        {
            PrimitiveType p when p == PrimitiveType.String => ValueKind.Text,
            PrimitiveType p when p == PrimitiveType.Long => ValueKind.Long,
            PrimitiveType p when p == PrimitiveType.Timestamp => ValueKind.Timestamp,
            PrimitiveType p when p == PrimitiveType.Double => ValueKind.Double,
            PrimitiveType p when p == PrimitiveType.Boolean => ValueKind.Boolean,
            _ => throw new NotSupportedException(
                $"Column '{field.Name}' is {field.Type}: a column batch holds string, long, timestamp, double and boolean columns and arrays of them."),
        };
    }

    internal enum ValueKind
    {
        Text,
        Long,
        Timestamp,
        Double,
        Boolean,
    }

    /// <summary>The column.</summary>
    public StructField Field { get; }

    internal ValueKind Kind { get; }

    internal bool IsList { get; }

    /// <summary>Rows completed in this column.</summary>
    internal int Rows { get; private set; }

    /// <summary>Null rows (null arrays for an array column).</summary>
    internal long Nulls { get; private set; }

    internal int LevelCount { get; private set; }

    internal int ValueCount { get; private set; }

    /// <summary>Whether Parquet needs definition levels (a nullable column, or an array).</summary>
    internal bool HasLevels => _nullable || IsList;

    internal ReadOnlySpan<short> DefinitionLevels => _def.AsSpan(0, LevelCount);

    internal ReadOnlySpan<short> RepetitionLevels => _rep.AsSpan(0, LevelCount);

    internal ReadOnlySpan<ByteArray> Bytes => _bytes.AsSpan(0, ValueCount);

    internal ReadOnlySpan<long> Longs => _longs.AsSpan(0, ValueCount);

    internal ReadOnlySpan<double> Doubles => _doubles.AsSpan(0, ValueCount);

    internal ReadOnlySpan<bool> Booleans => _bools.AsSpan(0, ValueCount);

    /// <summary>A null row, or a null element inside <see cref="BeginList"/>/<see cref="EndList"/>.</summary>
    public void AppendNull()
    {
        _batch.ThrowIfDisposed();
        if (_inList)
        {
            if (!_elementNullable)
            {
                throw new ArgumentException($"Column '{Field.Name}' holds no null elements.");
            }

            Level(Base + 1, _listItems++ == 0 ? (short)0 : (short)1);
            return;
        }

        if (!_nullable)
        {
            throw new ArgumentException($"Column '{Field.Name}' is not nullable.");
        }

        Level(0, 0);
        Nulls++;
        Rows++;
    }

    /// <summary>A text value as UTF-8 (a string column).</summary>
    public void Append(ReadOnlySpan<byte> utf8)
    {
        Expect(ValueKind.Text);
        Put(ref _bytes, _arena.Add(utf8));
    }

    /// <summary>
    /// A text value (a string column), encoded as UTF-8; the same string instance as the previous text value is stored
    /// once (rows of one payload repeat their raw key).
    /// </summary>
    public void Append(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Expect(ValueKind.Text);
        if (!ReferenceEquals(text, _lastText))
        {
            (_lastText, _lastBytes) = (text, _arena.AddUtf8(text));
        }

        Put(ref _bytes, _lastBytes);
    }

    /// <summary>A value of a long column.</summary>
    public void Append(long value)
    {
        Expect(ValueKind.Long);
        Put(ref _longs, value);
    }

    /// <summary>A value of a timestamp column.</summary>
    public void Append(DateTimeOffset value)
    {
        Expect(ValueKind.Timestamp);
        Put(ref _longs, (value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10);
    }

    /// <summary>A value of a double column.</summary>
    public void Append(double value)
    {
        Expect(ValueKind.Double);
        Put(ref _doubles, value);
    }

    /// <summary>A value of a boolean column.</summary>
    public void Append(bool value)
    {
        Expect(ValueKind.Boolean);
        Put(ref _bools, value);
    }

    /// <summary>Starts the array of this row (an array column); its elements follow, then <see cref="EndList"/>.</summary>
    public void BeginList()
    {
        _batch.ThrowIfDisposed();
        if (!IsList || _inList)
        {
            throw new InvalidOperationException(IsList ? $"Column '{Field.Name}': the array of this row is already open." : $"Column '{Field.Name}' is not an array.");
        }

        _inList = true;
        _listItems = 0;
    }

    /// <summary>Ends the array of this row (empty when no element was appended).</summary>
    public void EndList()
    {
        _batch.ThrowIfDisposed();
        if (!_inList)
        {
            throw new InvalidOperationException($"Column '{Field.Name}': no array is open.");
        }

        _inList = false;
        if (_listItems == 0)
        {
            Level(Base, 0);
        }

        Rows++;
    }

    /// <summary>The definition level of a present value of the column itself (0 when it is required).</summary>
    private int Base => _nullable ? 1 : 0;

    /// <summary>Records the levels of a present value and stores it.</summary>
    private void Put<T>(ref T[] values, T value)
    {
        var index = Value();
        if (index == values.Length)
        {
            Array.Resize(ref values, Grow(values.Length));
        }

        values[index] = value;
    }

    /// <summary>Records the levels of a present value; returns its index among the values.</summary>
    private int Value()
    {
        if (_inList)
        {
            Level(Base + 1 + (_elementNullable ? 1 : 0), _listItems++ == 0 ? (short)0 : (short)1);
        }
        else if (IsList)
        {
            throw new InvalidOperationException($"Column '{Field.Name}' is an array: open the row's array with BeginList first.");
        }
        else
        {
            if (_nullable)
            {
                Level((short)1, 0);
            }

            Rows++;
        }

        return ValueCount++;
    }

    private void Level(int def, short rep)
    {
        if (LevelCount == _def.Length)
        {
            var size = Grow(_def.Length);
            Array.Resize(ref _def, size);
            if (IsList)
            {
                Array.Resize(ref _rep, size);
            }
        }

        _def[LevelCount] = (short)def;
        if (IsList)
        {
            // Only arrays repeat: a plain nullable column needs definition levels alone.
            _rep[LevelCount] = rep;
        }

        LevelCount++;
    }

    private void Expect(ValueKind kind)
    {
        _batch.ThrowIfDisposed();
        if (Kind != kind)
        {
            throw new ArgumentException($"Column '{Field.Name}' is {Field.Type}, not {kind.ToString().ToLowerInvariant()}.");
        }
    }

    private static int Grow(int length) => Math.Max(1024, length * 2);

    internal void Mark() => _mark = (LevelCount, ValueCount, Rows, Nulls);

    internal void ResetToMark()
    {
        (LevelCount, ValueCount, Rows, Nulls) = _mark;
        _inList = false;
    }

    internal void Clear()
    {
        // The arena is reset with the batch: the bytes of the last text are gone.
        _lastText = null;
        LevelCount = ValueCount = Rows = 0;
        Nulls = 0;
        _inList = false;
        _mark = default;
    }
}
