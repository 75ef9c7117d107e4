using System.Numerics;
using Fhirhouse.Delta.Schema;
using ParquetSharp;

namespace Fhirhouse.Delta.Parquet.Reading;

/// <summary>Turns Parquet physical values into Delta row values for one leaf, given its logical type and the Delta type.</summary>
internal static class ValueConverter
{
    private const long UnixEpochJulianDay = 2_440_588;
    private static readonly DateOnly s_epoch = new(1970, 1, 1);

    public static object FromInt32(int v, DeltaType type, LogicalType logical) => type switch
    {
        PrimitiveType p when p == PrimitiveType.Integer => (object)v,
        PrimitiveType p when p == PrimitiveType.Long => (long)v,
        PrimitiveType p when p == PrimitiveType.Short => (short)v,
        PrimitiveType p when p == PrimitiveType.Byte => (sbyte)v,
        PrimitiveType p when p == PrimitiveType.Date => s_epoch.AddDays(v),
        PrimitiveType p when p == PrimitiveType.Double => (double)v,
        DecimalType d => DecimalValue.FromUnscaled(v, ScaleOf(logical, d), d.Precision),
        _ => throw Mismatch("INT32", type),
    };

    public static object FromInt64(long v, DeltaType type, LogicalType logical) => type switch
    {
        PrimitiveType p when p == PrimitiveType.Long => (object)v,
        PrimitiveType p when p == PrimitiveType.Timestamp => DateTimeOffset.UnixEpoch.AddTicks(ToTicks(v, logical)),
        PrimitiveType p when p == PrimitiveType.TimestampNtz => DateTime.SpecifyKind(DateTime.UnixEpoch.AddTicks(ToTicks(v, logical)), DateTimeKind.Unspecified),
        PrimitiveType p when p == PrimitiveType.Double => (double)v,
        DecimalType d => DecimalValue.FromUnscaled(v, ScaleOf(logical, d), d.Precision),
        _ => throw Mismatch("INT64", type),
    };

    public static object FromInt96(Int96 v, DeltaType type)
    {
        var nanos = (long)(uint)v.A | ((long)(uint)v.B << 32);
        var days = v.C - UnixEpochJulianDay;
        var ticks = (days * TimeSpan.TicksPerDay) + (nanos / 100);
        return type switch
        {
            PrimitiveType p when p == PrimitiveType.Timestamp => DateTimeOffset.UnixEpoch.AddTicks(ticks),
            PrimitiveType p when p == PrimitiveType.TimestampNtz => DateTime.SpecifyKind(DateTime.UnixEpoch.AddTicks(ticks), DateTimeKind.Unspecified),
            _ => throw Mismatch("INT96", type),
        };
    }

    public static object FromFloat(float v, DeltaType type) => type switch
    {
        PrimitiveType p when p == PrimitiveType.Float => (object)v,
        PrimitiveType p when p == PrimitiveType.Double => (double)v,
        _ => throw Mismatch("FLOAT", type),
    };

    public static object FromDouble(double v, DeltaType type) => type switch
    {
        PrimitiveType p when p == PrimitiveType.Double => (object)v,
        _ => throw Mismatch("DOUBLE", type),
    };

    public static object FromBoolean(bool v, DeltaType type) =>
        type == PrimitiveType.Boolean ? v : throw Mismatch("BOOLEAN", type);

    public static object FromBytes(ReadOnlySpan<byte> bytes, DeltaType type, LogicalType logical) => type switch
    {
        PrimitiveType p when p == PrimitiveType.String => System.Text.Encoding.UTF8.GetString(bytes),
        PrimitiveType p when p == PrimitiveType.Binary => bytes.ToArray(),
        DecimalType d => DecimalValue.FromUnscaled(new BigInteger(bytes, isUnsigned: false, isBigEndian: true), ScaleOf(logical, d), d.Precision),
        _ => throw Mismatch("BYTE_ARRAY", type),
    };

    public static unsafe ReadOnlySpan<byte> Span(ByteArray value) =>
        value.Length == 0 ? [] : new ReadOnlySpan<byte>((void*)value.Pointer, value.Length);

    public static unsafe ReadOnlySpan<byte> Span(FixedLenByteArray value, int length) =>
        new((void*)value.Pointer, length);

    private static int ScaleOf(LogicalType logical, DecimalType type) =>
        logical is DecimalLogicalType d ? d.Scale : type.Scale;

    private static long ToTicks(long value, LogicalType logical) =>
        logical is TimestampLogicalType t
            ? t.TimeUnit switch
            {
                TimeUnit.Millis => value * TimeSpan.TicksPerMillisecond,
                TimeUnit.Nanos => value / 100,
                _ => value * 10,
            }
            : value * 10;

    private static InvalidDataException Mismatch(string physical, DeltaType type) =>
        new($"A Parquet {physical} column cannot hold the Delta type {type}.");
}
