using Fhirhouse.Delta.Columnar;
using Fhirhouse.Fhir.Views;

namespace Fhirhouse.Views;

/// <summary>
/// Collects a view's rows by column (<see cref="ColumnBatch"/> of <see cref="ViewSchema"/>: the view's columns, then
/// the resource key), text straight from the resource's UTF-8 where it can. A value whose JSON does not fit the
/// declared type is stored as null (integer, decimal, boolean columns: a number that overflows the column's type such
/// as 1e999, text in a number column), counted in <see cref="ValuesNulled"/>, or as its text (string and temporal
/// columns).
/// </summary>
internal sealed class ViewColumnSink : IViewRowSink, IDisposable
{
    private readonly ViewColumnType[] _types;
    private byte[] _key = new byte[64];
    private int _keyLength;

    public ViewColumnSink(ViewDefinition view)
    {
        _types = [.. view.Columns.Select(c => c.Type)];
        Batch = new ColumnBatch(ViewSchema.Of(view));
    }

    public ColumnBatch Batch { get; }

    /// <summary>The values stored as null because they do not fit their column's type; the caller sets it back when it drops rows.</summary>
    public long ValuesNulled { get; set; }

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

    public void OnRow(ReadOnlySpan<ColumnValue> row)
    {
        for (var i = 0; i < _types.Length; i++)
        {
            var column = Batch[i];
            var value = row[i];
            if (value.IsCollection)
            {
                column.BeginList();
                for (var e = 0; e < value.Count; e++)
                {
                    Append(column, value[e], _types[i]);
                }

                column.EndList();
            }
            else if (value.IsNull)
            {
                column.AppendNull();
            }
            else
            {
                Append(column, value, _types[i]);
            }
        }

        Batch[_types.Length].Append(_key.AsSpan(0, _keyLength));
        Batch.EndRow();
    }

    public void Dispose() => Batch.Dispose();

    private void Append(ColumnBuffer column, in ColumnValue value, ViewColumnType type)
    {
        switch (type)
        {
            case ViewColumnType.Integer when value.TryGetInteger(out var integer):
                column.Append(integer);
                break;
            case ViewColumnType.Decimal when value.TryGetDouble(out var number):
                column.Append(number);
                break;
            case ViewColumnType.Boolean when value.TryGetBoolean(out var boolean):
                column.Append(boolean);
                break;
            case ViewColumnType.Integer or ViewColumnType.Decimal or ViewColumnType.Boolean:
                column.AppendNull();
                ValuesNulled++;
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
}
