using System.Globalization;
using System.Text.Json;

namespace Fhirhouse.Fhir.FhirPath;

/// <summary>
/// One item of a FHIRPath collection: either a node of the resource (a <see cref="JsonElement"/>, with the FHIR type
/// named by a choice suffix when known) or a value computed by the expression.
/// </summary>
internal readonly struct FhirItem
{
    private FhirItem(ItemKind kind, JsonElement element, string? type, string? text, decimal number)
    {
        Kind = kind;
        Element = element;
        Type = type;
        Text = text;
        Number = number;
    }

    public ItemKind Kind { get; }

    public JsonElement Element { get; }

    /// <summary>The FHIR type when the node came through a choice element (valueQuantity gives "Quantity").</summary>
    public string? Type { get; }

    public string? Text { get; }

    public decimal Number { get; }

    public static FhirItem FromElement(JsonElement element, string? type = null) => new(ItemKind.Element, element, type, null, 0);

    public static FhirItem FromBoolean(bool value) => new(ItemKind.Boolean, default, null, null, value ? 1 : 0);

    public static FhirItem FromInteger(long value) => new(ItemKind.Integer, default, null, null, value);

    public static FhirItem FromDecimal(decimal value) => new(ItemKind.Decimal, default, null, null, value);

    public static FhirItem FromString(string value) => new(ItemKind.String, default, null, value, 0);

    public static FhirItem FromTemporal(ItemKind kind, string value) => new(kind, default, null, value, 0);

    /// <summary>The kind of primitive this item behaves as; <see cref="ItemKind.Element"/> for complex nodes.</summary>
    public ItemKind PrimitiveKind
    {
        get
        {
            if (Kind != ItemKind.Element)
            {
                return Kind;
            }

            switch (Element.ValueKind)
            {
                case JsonValueKind.String:
                    return Type is null ? ItemKind.String : FhirTypes.TemporalKind(Type);
                case JsonValueKind.Number:
                    return Element.TryGetInt64(out _) ? ItemKind.Integer : ItemKind.Decimal;
                case JsonValueKind.True:
                case JsonValueKind.False:
                    return ItemKind.Boolean;
                default:
                    return ItemKind.Element;
            }
        }
    }

    /// <summary>The absent item (default): the focus of a forEachOrNull that found nothing.</summary>
    public bool IsNone => Kind == ItemKind.Element && Element.ValueKind == JsonValueKind.Undefined;

    public bool IsObject => Kind == ItemKind.Element && Element.ValueKind == JsonValueKind.Object;

    public string GetString() => Kind switch
    {
        ItemKind.Element => Element.ValueKind == JsonValueKind.String ? Element.GetString()! : Element.GetRawText(),
        ItemKind.Boolean => Number != 0 ? "true" : "false",
        ItemKind.Integer or ItemKind.Decimal => Number.ToString(CultureInfo.InvariantCulture),
        _ => Text!,
    };

    public decimal GetNumber() => Kind == ItemKind.Element ? Element.GetDecimal() : Number;

    /// <summary>A number as a decimal; false when it does not fit one (1e999, 1e30).</summary>
    public bool TryGetNumber(out decimal value)
    {
        if (Kind == ItemKind.Element)
        {
            return Element.TryGetDecimal(out value);
        }

        value = Number;
        return true;
    }

    /// <summary>A number as a double; false when it overflows one (1e999, -1e999).</summary>
    public bool TryGetDouble(out double value)
    {
        if (Kind == ItemKind.Element)
        {
            return Element.TryGetDouble(out value) && double.IsFinite(value);
        }

        value = (double)Number;
        return true;
    }

    public long GetInteger() => Kind == ItemKind.Element ? Element.GetInt64() : (long)Number;

    public bool GetBoolean() => Kind == ItemKind.Element ? Element.ValueKind == JsonValueKind.True : Number != 0;

    /// <summary>The number as written, keeping its precision (1.0 stays 1.0).</summary>
    public string GetNumberText() => Kind == ItemKind.Element ? Element.GetRawText() : Number.ToString(CultureInfo.InvariantCulture);
}
