using Fhirhouse.Delta.Columnar;
using Fhirhouse.Fhir.Views;

namespace Fhirhouse.Views;

/// <summary>
/// Collects a view's rows by column (<see cref="ColumnBatch"/> of <see cref="ViewSchema"/>: the view's columns, each
/// decimal followed by its exact text, then the resource key), text straight from the resource's UTF-8 where it can.
/// A value whose JSON does not fit the declared type is stored as null (integer, decimal, boolean columns: a number
/// that overflows the column's type such as 1e999, text in a number column) and counted for its column in
/// <see cref="NulledColumns"/>; string and temporal columns store any value as its text. A decimal keeps its text as
/// written (1.50, 1e400) in the column beside it, also when its double is null because it overflows one.
/// </summary>
internal sealed class ViewColumnSink : IViewRowSink, IDisposable
{
    private readonly ViewColumn[] _columns;
    private readonly int[] _at;
    private readonly long[] _nulled;
    private readonly long[] _nulledAtMark;
    private readonly int _keyAt;
    private byte[] _key = new byte[64];
    private int _keyLength;

    public ViewColumnSink(ViewDefinition view)
    {
        _columns = [.. view.Columns];
        _at = new int[_columns.Length];
        var at = 0;
        for (var i = 0; i < _columns.Length; i++)
        {
            _at[i] = at;
            at += _columns[i].Type == ViewColumnType.Decimal ? 2 : 1;
        }

        _keyAt = at;
        _nulled = new long[_columns.Length];
        _nulledAtMark = new long[_columns.Length];
        Batch = new ColumnBatch(ViewSchema.Of(view));
    }

    public ColumnBatch Batch { get; }

    /// <summary>The values stored as null so far because they do not fit their column's type, in total.</summary>
    public long ValuesNulled
    {
        get
        {
            var total = 0L;
            foreach (var count in _nulled)
            {
                total += count;
            }

            return total;
        }
    }

    /// <summary>The values stored as null so far, per column of the view that has any, in column order.</summary>
    public IReadOnlyList<ViewColumnNulls> NulledColumns
    {
        get
        {
            var columns = new List<ViewColumnNulls>();
            for (var i = 0; i < _columns.Length; i++)
            {
                if (_nulled[i] > 0)
                {
                    columns.Add(new ViewColumnNulls(_columns[i].Name, _nulled[i]));
                }
            }

            return columns;
        }
    }

    /// <summary>Sets the "Type/id" of the resource being evaluated, stored with each of its rows.</summary>
    public void SetResourceKey(string key)
    {
        var length = System.Text.Encoding.UTF8.GetMaxByteCount(key.Length);
        if (length > _key.Length)
        {
            _key = new byte[length];
        }

        _keyLength = System.Text.Encoding.UTF8.GetBytes(key, _key);
    }

    /// <summary>Remembers the rows and counts so far (<see cref="ColumnBatch.Mark"/>).</summary>
    public void Mark()
    {
        Batch.Mark();
        _nulled.CopyTo(_nulledAtMark, 0);
    }

    /// <summary>Drops the rows appended since <see cref="Mark"/>, and the values they nulled from the counts.</summary>
    public void ResetToMark()
    {
        Batch.ResetToMark();
        _nulledAtMark.CopyTo(_nulled, 0);
    }

    /// <summary>Forgets every row and count, keeping the memory.</summary>
    public void Clear()
    {
        Batch.Clear();
        Array.Clear(_nulled);
        Array.Clear(_nulledAtMark);
    }

    public void OnRow(ReadOnlySpan<ColumnValue> row)
    {
        for (var i = 0; i < _columns.Length; i++)
        {
            var value = row[i];
            var decimals = _columns[i].Type == ViewColumnType.Decimal;
            var column = Batch[_at[i]];
            var text = decimals ? Batch[_at[i] + 1] : null;
            if (value.IsCollection)
            {
                column.BeginList();
                text?.BeginList();
                for (var e = 0; e < value.Count; e++)
                {
                    Append(i, column, text, value[e]);
                }

                column.EndList();
                text?.EndList();
            }
            else if (value.IsNull)
            {
                column.AppendNull();
                text?.AppendNull();
            }
            else
            {
                Append(i, column, text, value);
            }
        }

        Batch[_keyAt].Append(_key.AsSpan(0, _keyLength));
        Batch.EndRow();
    }

    public void Dispose() => Batch.Dispose();

    private void Append(int index, ColumnBuffer column, ColumnBuffer? decimalText, in ColumnValue value)
    {
        switch (_columns[index].Type)
        {
            case ViewColumnType.Integer when value.TryGetInteger(out var integer):
                column.Append(integer);
                break;
            case ViewColumnType.Boolean when value.TryGetBoolean(out var boolean):
                column.Append(boolean);
                break;
            case ViewColumnType.Decimal:
                AppendDecimal(index, column, decimalText!, value);
                break;
            case ViewColumnType.Integer or ViewColumnType.Boolean:
                column.AppendNull();
                _nulled[index]++;
                break;
            default:
                if (value.TryGetUtf8(out var utf8))
                {
                    column.Append(utf8);
                }
                else
                {
                    column.Append(value.GetString());
                }

                break;
        }
    }

    /// <summary>
    /// A decimal: its double (null when it overflows one, counted) and its text as written; a value that is no number
    /// is null in both, counted.
    /// </summary>
    private void AppendDecimal(int index, ColumnBuffer column, ColumnBuffer text, in ColumnValue value)
    {
        var isDouble = value.TryGetDouble(out var number);
        if (isDouble)
        {
            column.Append(number);
        }
        else
        {
            column.AppendNull();
            _nulled[index]++;
        }

        if (value.TryGetNumberUtf8(out var utf8))
        {
            text.Append(utf8);
        }
        else if (isDouble)
        {
            // A computed number (FHIRPath arithmetic, a literal, toDecimal()): its decimal's text, scale kept.
            text.Append(value.GetString());
        }
        else
        {
            text.AppendNull();
        }
    }
}
