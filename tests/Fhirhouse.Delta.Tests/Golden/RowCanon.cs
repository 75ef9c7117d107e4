using System.Data.SqlTypes;
using System.Globalization;
using System.Text;

namespace Fhirhouse.Delta.Tests.Golden;

/// <summary>A canonical text of a row value, so rows from two readers compare as strings (order-free multisets).</summary>
internal static class RowCanon
{
    public static string Row(object?[] row) => "(" + string.Join(" | ", row.Select(Value)) + ")";

    public static string Value(object? value) => value switch
    {
        null => "null",
        string s => "'" + s + "'",
        byte[] b => "0x" + Convert.ToHexString(b),
        float f => f.ToString("R", CultureInfo.InvariantCulture) + "f",
        double d => d.ToString("R", CultureInfo.InvariantCulture) + "d",
        decimal m => Number(m.ToString(CultureInfo.InvariantCulture)),
        SqlDecimal s => Number(s.ToString()),
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        object?[] items => "[" + string.Join(", ", items.Select(Value)) + "]",
        KeyValuePair<object, object?>[] map => "{" + string.Join(", ", map.Select(kv => Value(kv.Key) + ": " + Value(kv.Value)).Order(StringComparer.Ordinal)) + "}",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture) + ":" + value.GetType().Name,
        _ => value.ToString() ?? "",
    };

    private static string Number(string text)
    {
        if (!text.Contains('.', StringComparison.Ordinal))
        {
            return text + "m";
        }

        var trimmed = new StringBuilder(text.TrimEnd('0'));
        if (trimmed[^1] == '.')
        {
            trimmed.Length--;
        }

        return trimmed + "m";
    }
}
