using System.Globalization;

namespace Fhirhouse.Fhir.FhirPath;

/// <summary>
/// lowBoundary() and highBoundary(): the least and greatest value a decimal, date, date-time or time written with
/// limited precision can stand for (1.0 gives 0.95 and 1.05; 1970-06 gives 1970-06-01 and 1970-06-30).
/// </summary>
internal static class PrecisionBoundary
{
    public static FhirItem? Of(in FhirItem item, bool high)
    {
        var kind = item.PrimitiveKind;
        if (ItemComparison.IsNumber(kind))
        {
            return Decimal(item.GetNumberText(), high);
        }

        if (kind is not (ItemKind.String or ItemKind.Date or ItemKind.DateTime or ItemKind.Time))
        {
            return null;
        }

        var text = item.GetString();
        if (kind == ItemKind.String)
        {
            kind = text.Contains('T', StringComparison.Ordinal) ? ItemKind.DateTime
                : text.Length >= 3 && text[2] == ':' ? ItemKind.Time
                : text.Length >= 4 && char.IsAsciiDigit(text[0]) ? ItemKind.Date
                : ItemKind.String;
        }

        return kind switch
        {
            ItemKind.Date => FhirItem.FromTemporal(ItemKind.Date, Date(text, high)),
            ItemKind.DateTime => FhirItem.FromTemporal(ItemKind.DateTime, DateTime(text, high)),
            ItemKind.Time => FhirItem.FromTemporal(ItemKind.Time, Time(text, high)),
            _ => null,
        };
    }

    private static FhirItem Decimal(string text, bool high)
    {
        var value = decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var digits = dot < 0 ? 0 : text.Length - dot - 1;
        var half = 0.5m;
        for (var i = 0; i < digits; i++)
        {
            half /= 10;
        }

        return FhirItem.FromDecimal(high ? value + half : value - half);
    }

    private static string Date(string text, bool high)
    {
        var year = int.Parse(text.AsSpan(0, 4), CultureInfo.InvariantCulture);
        var month = text.Length >= 7 ? int.Parse(text.AsSpan(5, 2), CultureInfo.InvariantCulture) : high ? 12 : 1;
        var day = text.Length >= 10 ? int.Parse(text.AsSpan(8, 2), CultureInfo.InvariantCulture)
            : high ? System.DateTime.DaysInMonth(year, month) : 1;
        return string.Create(CultureInfo.InvariantCulture, $"{year:D4}-{month:D2}-{day:D2}");
    }

    private static string DateTime(string text, bool high)
    {
        var t = text.IndexOf('T', StringComparison.Ordinal);
        var date = Date(t < 0 ? text : text[..t], high);
        if (t < 0)
        {
            return date + (high ? "T23:59:59.999-12:00" : "T00:00:00.000+14:00");
        }

        var rest = text[(t + 1)..];
        var zoneStart = rest.IndexOfAny(['Z', '+', '-']);
        var zone = zoneStart < 0 ? (high ? "-12:00" : "+14:00") : rest[zoneStart..];
        return date + "T" + Time(zoneStart < 0 ? rest : rest[..zoneStart], high) + zone;
    }

    private static string Time(string text, bool high)
    {
        var hour = text[..2];
        var minute = text.Length >= 5 ? text.Substring(3, 2) : high ? "59" : "00";
        var second = text.Length >= 8 ? text.Substring(6, 2) : high ? "59" : "00";
        var fraction = text.Length > 9 ? text[9..] : string.Empty;
        fraction = fraction.Length >= 3 ? fraction[..3] : fraction.PadRight(3, high ? '9' : '0');
        return $"{hour}:{minute}:{second}.{fraction}";
    }
}
