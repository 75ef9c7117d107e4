using System.Data.SqlTypes;
using System.Numerics;
using Fhirhouse.Errors;

namespace Fhirhouse.Delta.Parquet;

/// <summary>Decimal row values: <see cref="decimal"/> up to precision 28, <see cref="SqlDecimal"/> beyond.</summary>
internal static class DecimalValue
{
    public static object FromUnscaled(BigInteger unscaled, int scale, int precision)
    {
        var negative = unscaled.Sign < 0;
        var magnitude = BigInteger.Abs(unscaled);
        if (precision <= Schema.DecimalType.MaxClrPrecision && magnitude.GetByteCount(isUnsigned: true) <= 12)
        {
            Span<byte> bytes = stackalloc byte[12];
            bytes.Clear();
            magnitude.TryWriteBytes(bytes, out _, isUnsigned: true, isBigEndian: false);
            var lo = BitConverter.ToInt32(bytes[..4]);
            var mid = BitConverter.ToInt32(bytes[4..8]);
            var hi = BitConverter.ToInt32(bytes[8..12]);
            return new decimal(lo, mid, hi, negative, (byte)scale);
        }

        Span<byte> wide = stackalloc byte[16];
        wide.Clear();
        magnitude.TryWriteBytes(wide, out _, isUnsigned: true, isBigEndian: false);
        return new SqlDecimal((byte)Math.Max(precision, 1), (byte)scale, !negative,
            BitConverter.ToInt32(wide[..4]), BitConverter.ToInt32(wide[4..8]), BitConverter.ToInt32(wide[8..12]), BitConverter.ToInt32(wide[12..16]));
    }

    /// <summary>The unscaled integer of a value at <paramref name="scale"/> (rounding is refused: the value must fit).</summary>
    public static BigInteger ToUnscaled(object value, int scale)
    {
        switch (value)
        {
            case decimal d:
                var scaled = d * Pow10(scale);
                if (scaled != decimal.Truncate(scaled))
                {
                    throw new FhirhouseException(ErrorCodes.InvalidRow, ErrorKind.Data, $"A decimal value has more than the column's {scale} decimal places.");
                }

                return new BigInteger(scaled);
            case SqlDecimal s:
                var adjusted = SqlDecimal.ConvertToPrecScale(s, Math.Min(38, s.Precision - s.Scale + scale), scale);
                var data = adjusted.Data;
                var bytes = new byte[16];
                for (var i = 0; i < 4; i++)
                {
                    BitConverter.TryWriteBytes(bytes.AsSpan(i * 4), data[i]);
                }

                var magnitude = new BigInteger(bytes, isUnsigned: true);
                return adjusted.IsPositive ? magnitude : -magnitude;
            default:
                return ToUnscaled(Convert.ToDecimal(value, System.Globalization.CultureInfo.InvariantCulture), scale);
        }
    }

    private static decimal Pow10(int n)
    {
        var result = 1m;
        for (var i = 0; i < n; i++)
        {
            result *= 10;
        }

        return result;
    }
}
