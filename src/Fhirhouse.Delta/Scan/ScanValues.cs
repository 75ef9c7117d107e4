using System.Globalization;
using Fhirhouse.Delta.Schema;

namespace Fhirhouse.Delta.Scan;

/// <summary>
/// The values predicates and statistics compare: one CLR type per column type (long for every integral type, double for
/// float and double), and their order (numeric, ordinal for ASCII text, natural for dates and times).
/// </summary>
internal static class ScanValues
{
    /// <summary>The type a predicate's values take for a column of <paramref name="type"/>, or null when it cannot be compared.</summary>
    public static Type? ValueType(DeltaType type) => type switch
    {
        PrimitiveType p when p == PrimitiveType.String => typeof(string),
        PrimitiveType p when p == PrimitiveType.Long || p == PrimitiveType.Integer || p == PrimitiveType.Short || p == PrimitiveType.Byte => typeof(long),
        PrimitiveType p when p == PrimitiveType.Double || p == PrimitiveType.Float => typeof(double),
        PrimitiveType p when p == PrimitiveType.Boolean => typeof(bool),
        PrimitiveType p when p == PrimitiveType.Date => typeof(DateOnly),
        PrimitiveType p when p == PrimitiveType.Timestamp => typeof(DateTimeOffset),
        PrimitiveType p when p == PrimitiveType.TimestampNtz => typeof(DateTime),
        DecimalType d when d.Precision <= DecimalType.MaxClrPrecision => typeof(decimal),
        _ => null,
    };

    /// <summary>A row, partition or predicate value in the type <see cref="ValueType"/> gives (int as long, float as double).</summary>
    public static object? Normalize(object? value) => value switch
    {
        int or short or sbyte or byte => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        float f => (double)f,
        _ => value,
    };

    /// <summary>
    /// The order of two normalized values of one column, or null when they cannot be compared safely: text is compared
    /// only when both are ASCII (writers and engines differ on the order of other text), NaN compares with nothing.
    /// </summary>
    public static int? Compare(object a, object b) => (a, b) switch
    {
        (string x, string y) => System.Text.Ascii.IsValid(x) && System.Text.Ascii.IsValid(y) ? string.CompareOrdinal(x, y) : null,
        (long x, long y) => x.CompareTo(y),
        (double x, double y) => double.IsNaN(x) || double.IsNaN(y) ? null : x.CompareTo(y),
        (long x, double y) => double.IsNaN(y) ? null : ((double)x).CompareTo(y),
        (double x, long y) => double.IsNaN(x) ? null : x.CompareTo(y),
        (decimal x, decimal y) => x.CompareTo(y),
        (long x, decimal y) => ((decimal)x).CompareTo(y),
        (decimal x, long y) => x.CompareTo(y),
        (bool x, bool y) => x.CompareTo(y),
        (DateOnly x, DateOnly y) => x.CompareTo(y),
        (DateTimeOffset x, DateTimeOffset y) => x.CompareTo(y),
        (DateTime x, DateTime y) => x.CompareTo(y),
        _ => null,
    };

    /// <summary>The order of two normalized values of one column compared in full (text ordinal, whatever its characters), or null.</summary>
    public static int? CompareExact(object a, object b) => a is string x && b is string y ? string.CompareOrdinal(x, y) : Compare(a, b);
}
