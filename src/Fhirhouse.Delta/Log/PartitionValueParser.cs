using System.Globalization;
using Fhirhouse.Delta.Schema;

namespace Fhirhouse.Delta.Log;

/// <summary>Partition values as the log writes them (strings) to and from typed row values.</summary>
internal static class PartitionValueParser
{
    private static readonly string[] s_timestampFormats =
    [
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFF", "yyyy-MM-dd'T'HH:mm:ss.FFFFFF'Z'", "yyyy-MM-dd'T'HH:mm:ss'Z'",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFzzz", "yyyy-MM-dd'T'HH:mm:sszzz",
    ];

    /// <summary>The typed value of a partition string; null and "" are null.</summary>
    public static object? Parse(string? text, DeltaType type, string column)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        var inv = CultureInfo.InvariantCulture;
        try
        {
            return type switch
            {
                PrimitiveType p when p == PrimitiveType.String => text,
                PrimitiveType p when p == PrimitiveType.Long => long.Parse(text, inv),
                PrimitiveType p when p == PrimitiveType.Integer => int.Parse(text, inv),
                PrimitiveType p when p == PrimitiveType.Short => short.Parse(text, inv),
                PrimitiveType p when p == PrimitiveType.Byte => sbyte.Parse(text, inv),
                PrimitiveType p when p == PrimitiveType.Float => float.Parse(text, inv),
                PrimitiveType p when p == PrimitiveType.Double => double.Parse(text, inv),
                PrimitiveType p when p == PrimitiveType.Boolean => bool.Parse(text),
                PrimitiveType p when p == PrimitiveType.Binary => System.Text.Encoding.UTF8.GetBytes(text),
                PrimitiveType p when p == PrimitiveType.Date => DateOnly.ParseExact(text, "yyyy-MM-dd", inv),
                PrimitiveType p when p == PrimitiveType.Timestamp => DateTimeOffset.ParseExact(text, s_timestampFormats, inv,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
                PrimitiveType p when p == PrimitiveType.TimestampNtz => DateTime.ParseExact(text, s_timestampFormats, inv, DateTimeStyles.None),
                DecimalType d when d.Precision <= DecimalType.MaxClrPrecision =>
                    Parquet.DecimalValue.FromUnscaled(Parquet.DecimalValue.ToUnscaled(decimal.Parse(text, NumberStyles.Float, inv), d.Scale), d.Scale, d.Precision),
                DecimalType d => Parquet.DecimalValue.FromUnscaled(Parquet.DecimalValue.ToUnscaled(System.Data.SqlTypes.SqlDecimal.Parse(text), d.Scale), d.Scale, d.Precision),
                _ => throw new FormatException($"type {type} cannot be a partition column"),
            };
        }
        catch (FormatException e)
        {
            throw new DeltaProtocolException(column, $"partition value '{text}' is not a valid {type}: {e.Message}", e);
        }
    }

    /// <summary>The log string of a typed partition value (null stays null).</summary>
    public static string? Format(object? value) => value switch
    {
        null => null,
        string s => s,
        bool b => b ? "true" : "false",
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        byte[] bytes => System.Text.Encoding.UTF8.GetString(bytes),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
