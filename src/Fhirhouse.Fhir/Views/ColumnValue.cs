using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Fhirhouse.Fhir.FhirPath;

namespace Fhirhouse.Fhir.Views;

/// <summary>
/// The value of one column in one row: null, a single value or (for collection columns) an array. A value may read
/// the resource it came from: use it inside <see cref="IViewRowSink.OnRow"/> and copy what must outlive the call.
/// </summary>
public readonly struct ColumnValue
{
    private readonly FhirItem _item;
    private readonly FhirItem[]? _items;
    private readonly bool _hasValue;

    private ColumnValue(ViewColumnType type, in FhirItem item, FhirItem[]? items, bool hasValue)
    {
        Type = type;
        _item = item;
        _items = items;
        _hasValue = hasValue;
    }

    /// <summary>The SQL type of the column.</summary>
    public ViewColumnType Type { get; }

    /// <summary>True when the column has no value in this row.</summary>
    public bool IsNull => !_hasValue;

    /// <summary>True for the value of a collection column (an array, possibly empty).</summary>
    public bool IsCollection => _items is not null;

    /// <summary>The number of elements of a collection value; 1 for a single value, 0 for null.</summary>
    public int Count => _items?.Length ?? (_hasValue ? 1 : 0);

    /// <summary>The element at <paramref name="index"/> of a collection value.</summary>
    public ColumnValue this[int index] => _items is null
        ? throw new InvalidOperationException("Not a collection value.")
        : new ColumnValue(Type, _items[index], null, true);

    internal static ColumnValue Null(ViewColumnType type) => new(type, default, null, false);

    internal static ColumnValue Single(ViewColumnType type, in FhirItem item) => new(type, item, null, true);

    internal static ColumnValue Many(ViewColumnType type, FhirItem[] items) => new(type, default, items, true);

    /// <summary>The value as text (numbers in invariant culture, booleans as true/false, objects as JSON).</summary>
    public string GetString() => Single().GetString();

    /// <summary>
    /// The UTF-8 bytes of a text value read straight from the resource, without allocating; false when the value is
    /// computed, escaped in the JSON or not text (use <see cref="GetString"/> then).
    /// </summary>
    public bool TryGetUtf8(out ReadOnlySpan<byte> utf8)
    {
        if (_hasValue && _items is null && _item.Kind == ItemKind.Element && _item.Element.ValueKind == JsonValueKind.String)
        {
            var raw = JsonMarshal.GetRawUtf8Value(_item.Element)[1..^1];
            if (!raw.Contains((byte)'\\'))
            {
                utf8 = raw;
                return true;
            }
        }

        utf8 = default;
        return false;
    }

    /// <summary>
    /// The UTF-8 text of a number read straight from the resource, as written (<c>1.50</c>, <c>1e400</c>,
    /// <c>0.1000000000000000055511151231257827</c>), without allocating; false when the value is computed or not a
    /// JSON number (<see cref="GetString"/> gives a computed number's text, its scale kept).
    /// </summary>
    public bool TryGetNumberUtf8(out ReadOnlySpan<byte> utf8)
    {
        if (_hasValue && _items is null && _item.Kind == ItemKind.Element && _item.Element.ValueKind == JsonValueKind.Number)
        {
            utf8 = JsonMarshal.GetRawUtf8Value(_item.Element);
            return true;
        }

        utf8 = default;
        return false;
    }

    /// <summary>
    /// A single number that is an integer (or a decimal with no fraction, within range) as a 64-bit integer, without
    /// parsing text; false for anything else, a number beyond the range of a 64-bit integer included
    /// (99999999999999999999, 1e999). This is how an <c>integer</c> column stores a value (see <see cref="ToObject"/>).
    /// </summary>
    public bool TryGetInteger(out long value)
    {
        value = 0;
        if (!_hasValue || _items is not null)
        {
            return false;
        }

        switch (_item.PrimitiveKind)
        {
            case ItemKind.Integer:
                value = _item.GetInteger();
                return true;
            case ItemKind.Decimal when _item.TryGetNumber(out var d) && decimal.Truncate(d) == d && d is >= long.MinValue and <= long.MaxValue:
                value = (long)d;
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// A single number (integer or decimal) as a double, without parsing text; false for anything else, a number that
    /// overflows a double included (1e999, -1e999).
    /// </summary>
    public bool TryGetDouble(out double value)
    {
        value = 0;
        return _hasValue && _items is null && _item.PrimitiveKind is ItemKind.Integer or ItemKind.Decimal && _item.TryGetDouble(out value);
    }

    /// <summary>A single boolean, without parsing text; false for anything else.</summary>
    public bool TryGetBoolean(out bool value)
    {
        var boolean = _hasValue && _items is null && _item.PrimitiveKind == ItemKind.Boolean;
        value = boolean && _item.GetBoolean();
        return boolean;
    }

    /// <summary>The value as a 64-bit integer.</summary>
    public long GetInt64()
    {
        var item = Single();
        return item.PrimitiveKind is ItemKind.Integer or ItemKind.Decimal
            ? (long)item.GetNumber()
            : long.Parse(item.GetString(), CultureInfo.InvariantCulture);
    }

    /// <summary>The value as a decimal.</summary>
    public decimal GetDecimal()
    {
        var item = Single();
        return item.PrimitiveKind is ItemKind.Integer or ItemKind.Decimal
            ? item.GetNumber()
            : decimal.Parse(item.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>The value as a boolean.</summary>
    public bool GetBoolean()
    {
        var item = Single();
        return item.PrimitiveKind == ItemKind.Boolean ? item.GetBoolean() : bool.Parse(item.GetString());
    }

    /// <summary>
    /// The value as a CLR object of the column's SQL type: string, long, decimal or bool (dates and times stay
    /// strings); an <c>object?[]</c> for a collection; null for null. A value whose JSON does not fit the declared
    /// type keeps its own type.
    /// </summary>
    public object? ToObject()
    {
        if (!_hasValue)
        {
            return null;
        }

        if (_items is not null)
        {
            var values = new object?[_items.Length];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = Convert(Type, _items[i]);
            }

            return values;
        }

        return Convert(Type, _item);
    }

    /// <summary>Writes the value as JSON (a string, number, boolean, array or null).</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (!_hasValue)
        {
            writer.WriteNullValue();
            return;
        }

        if (_items is null)
        {
            Write(writer, Type, _item);
            return;
        }

        writer.WriteStartArray();
        foreach (var item in _items)
        {
            Write(writer, Type, item);
        }

        writer.WriteEndArray();
    }

    private FhirItem Single() => _items is null && _hasValue
        ? _item
        : throw new InvalidOperationException(_hasValue ? "A collection value has no single value." : "The value is null.");

    private static object Convert(ViewColumnType type, in FhirItem item)
    {
        var kind = item.PrimitiveKind;
        return (type, kind) switch
        {
            (ViewColumnType.Integer, ItemKind.Integer) => item.GetInteger(),
            (ViewColumnType.Decimal or ViewColumnType.Integer, ItemKind.Integer or ItemKind.Decimal) => item.GetNumber(),
            (ViewColumnType.Boolean, ItemKind.Boolean) => item.GetBoolean(),
            (ViewColumnType.String or ViewColumnType.Date or ViewColumnType.DateTime or ViewColumnType.Time, _) when kind != ItemKind.Element => item.GetString(),
            (_, ItemKind.Boolean) => item.GetBoolean(),
            (_, ItemKind.Integer) => item.GetInteger(),
            (_, ItemKind.Decimal) => item.GetNumber(),
            _ => item.GetString(),
        };
    }

    private static void Write(Utf8JsonWriter writer, ViewColumnType type, in FhirItem item)
    {
        if (item.Kind == ItemKind.Element && item.Element.ValueKind == JsonValueKind.Object)
        {
            item.Element.WriteTo(writer);
            return;
        }

        switch (Convert(type, item))
        {
            case long l:
                writer.WriteNumberValue(l);
                break;
            case decimal d:
                writer.WriteNumberValue(d);
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case var other:
                writer.WriteStringValue((string)other);
                break;
        }
    }
}
