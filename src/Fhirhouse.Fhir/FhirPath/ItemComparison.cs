using System.Globalization;
using System.Text.Json;

namespace Fhirhouse.Fhir.FhirPath;

/// <summary>FHIRPath equality and ordering of single items; null where the result is empty (incomparable).</summary>
internal static class ItemComparison
{
    public static bool? Equal(in FhirItem left, in FhirItem right)
    {
        var l = left.PrimitiveKind;
        var r = right.PrimitiveKind;
        if (IsNumber(l) && IsNumber(r))
        {
            return left.GetNumber() == right.GetNumber();
        }

        if (l == ItemKind.Boolean && r == ItemKind.Boolean)
        {
            return left.GetBoolean() == right.GetBoolean();
        }

        if (IsText(l) && IsText(r))
        {
            var a = left.GetString();
            var b = right.GetString();
            if (string.Equals(a, b, StringComparison.Ordinal))
            {
                return true;
            }

            if (IsTemporal(l) && IsTemporal(r))
            {
                return CompareTemporal(a, b) is { } order ? order == 0 : null;
            }

            return false;
        }

        if (l == ItemKind.Element && r == ItemKind.Element)
        {
            return JsonElement.DeepEquals(left.Element, right.Element);
        }

        return false;
    }

    public static int? Compare(in FhirItem left, in FhirItem right)
    {
        var l = left.PrimitiveKind;
        var r = right.PrimitiveKind;
        if (IsNumber(l) && IsNumber(r))
        {
            return left.GetNumber().CompareTo(right.GetNumber());
        }

        if (IsTemporal(l) || IsTemporal(r))
        {
            return IsText(l) && IsText(r) ? CompareTemporal(left.GetString(), right.GetString()) : null;
        }

        if (l == ItemKind.String && r == ItemKind.String)
        {
            return string.CompareOrdinal(left.GetString(), right.GetString());
        }

        throw new FhirPathException($"cannot compare {l} with {r}");
    }

    public static bool IsNumber(ItemKind kind) => kind is ItemKind.Integer or ItemKind.Decimal;

    private static bool IsText(ItemKind kind) => kind is ItemKind.String or ItemKind.Date or ItemKind.DateTime or ItemKind.Time;

    private static bool IsTemporal(ItemKind kind) => kind is ItemKind.Date or ItemKind.DateTime or ItemKind.Time;

    /// <summary>Orders two dates, date-times or times; null when their precisions differ and the order is unknown.</summary>
    private static int? CompareTemporal(string a, string b)
    {
        if (a.Length > 10 && b.Length > 10 && a.Contains('T', StringComparison.Ordinal) && b.Contains('T', StringComparison.Ordinal)
            && DateTimeOffset.TryParse(a, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var x)
            && DateTimeOffset.TryParse(b, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var y))
        {
            return x.CompareTo(y);
        }

        if (a.Length != b.Length)
        {
            var shared = Math.Min(a.Length, b.Length);
            var order = string.CompareOrdinal(a, 0, b, 0, shared);
            return order != 0 ? order : null;
        }

        return string.CompareOrdinal(a, b);
    }
}
