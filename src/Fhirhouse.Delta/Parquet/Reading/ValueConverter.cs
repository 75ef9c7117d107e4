using System.Numerics;
using Fhirhouse.Delta.Schema;
using ParquetSharp;

namespace Fhirhouse.Delta.Parquet.Reading;

/// <summary>
/// Chooses, once per leaf column, the function that turns Parquet physical values into Delta row values for the
/// column's logical type and Delta type.
/// </summary>
internal static class ValueConverter
{
    private const long UnixEpochJulianDay = 2_440_588;
    private static readonly DateOnly s_epoch = new(1970, 1, 1);

    public static Func<int, object> ForInt32(DeltaType type, LogicalType logical) => type switch
    {
        PrimitiveType p when p == PrimitiveType.Integer => static v => v,
        PrimitiveType p when p == PrimitiveType.Long => static v => (long)v,
        PrimitiveType p when p == PrimitiveType.Short => static v => (short)v,
        PrimitiveType p when p == PrimitiveType.Byte => static v => (sbyte)v,
        PrimitiveType p when p == PrimitiveType.Date => static v => s_epoch.AddDays(v),
        PrimitiveType p when p == PrimitiveType.Double => static v => (double)v,
        DecimalType d => v => DecimalValue.FromUnscaled(v, ScaleOf(logical, d), d.Precision),
        _ => throw Mismatch("INT32", type),
    };

    public static Func<long, object> ForInt64(DeltaType type, LogicalType logical)
    {
        var unit = logical is TimestampLogicalType t ? t.TimeUnit : TimeUnit.Micros;
        return type switch
        {
            PrimitiveType p when p == PrimitiveType.Long => static v => v,
            PrimitiveType p when p == PrimitiveType.Timestamp => v => DateTimeOffset.UnixEpoch.AddTicks(ToTicks(v, unit)),
            PrimitiveType p when p == PrimitiveType.TimestampNtz => v => DateTime.SpecifyKind(DateTime.UnixEpoch.AddTicks(ToTicks(v, unit)), DateTimeKind.Unspecified),
            PrimitiveType p when p == PrimitiveType.Double => static v => (double)v,
            DecimalType d => v => DecimalValue.FromUnscaled(v, ScaleOf(logical, d), d.Precision),
            _ => throw Mismatch("INT64", type),
        };
    }

    public static Func<Int96, object> ForInt96(DeltaType type) => type switch
    {
        PrimitiveType p when p == PrimitiveType.Timestamp => static v => DateTimeOffset.UnixEpoch.AddTicks(Int96Ticks(v)),
        PrimitiveType p when p == PrimitiveType.TimestampNtz => static v => DateTime.SpecifyKind(DateTime.UnixEpoch.AddTicks(Int96Ticks(v)), DateTimeKind.Unspecified),
        _ => throw Mismatch("INT96", type),
    };

    public static Func<float, object> ForFloat(DeltaType type) => type switch
    {
        PrimitiveType p when p == PrimitiveType.Float => static v => v,
        PrimitiveType p when p == PrimitiveType.Double => static v => (double)v,
        _ => throw Mismatch("FLOAT", type),
    };

    public static Func<double, object> ForDouble(DeltaType type) =>
        type == PrimitiveType.Double ? static v => v : throw Mismatch("DOUBLE", type);

    public static Func<bool, object> ForBoolean(DeltaType type) =>
        type == PrimitiveType.Boolean ? static v => v : throw Mismatch("BOOLEAN", type);

    public static Func<ByteArray, object> ForByteArray(DeltaType type, LogicalType logical)
    {
        var bytes = ForBytes(type, logical, "BYTE_ARRAY");
        return v => bytes(Span(v));
    }

    public static Func<FixedLenByteArray, object> ForFixedLenByteArray(DeltaType type, LogicalType logical, int length)
    {
        var bytes = ForBytes(type, logical, "FIXED_LEN_BYTE_ARRAY");
        return v => bytes(Span(v, length));
    }

    private delegate object BytesConverter(ReadOnlySpan<byte> bytes);

    private static BytesConverter ForBytes(DeltaType type, LogicalType logical, string physical) => type switch
    {
        PrimitiveType p when p == PrimitiveType.String => static b => System.Text.Encoding.UTF8.GetString(b),
        PrimitiveType p when p == PrimitiveType.Binary => static b => b.ToArray(),
        DecimalType d => b => DecimalValue.FromUnscaled(new BigInteger(b, isUnsigned: false, isBigEndian: true), ScaleOf(logical, d), d.Precision),
        _ => throw Mismatch(physical, type),
    };

    private static unsafe ReadOnlySpan<byte> Span(ByteArray value) =>
        value.Length == 0 ? [] : new ReadOnlySpan<byte>((void*)value.Pointer, value.Length);

    private static unsafe ReadOnlySpan<byte> Span(FixedLenByteArray value, int length) =>
        new((void*)value.Pointer, length);

    private static long Int96Ticks(Int96 v)
    {
        var nanos = (long)(uint)v.A | ((long)(uint)v.B << 32);
        return ((v.C - UnixEpochJulianDay) * TimeSpan.TicksPerDay) + (nanos / 100);
    }

    private static int ScaleOf(LogicalType logical, DecimalType type) =>
        logical is DecimalLogicalType d ? d.Scale : type.Scale;

    private static long ToTicks(long value, TimeUnit unit) => unit switch
    {
        TimeUnit.Millis => value * TimeSpan.TicksPerMillisecond,
        TimeUnit.Nanos => value / 100,
        _ => value * 10,
    };

    private static InvalidDataException Mismatch(string physical, DeltaType type) =>
        new($"A Parquet {physical} column cannot hold the Delta type {type}.");
}
