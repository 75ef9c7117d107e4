namespace Fhirhouse.Delta.Schema;

/// <summary>
/// A primitive Delta type by its protocol name. Row values are: string -> string, long -> long, integer -> int,
/// short -> short, byte -> sbyte, float -> float, double -> double, boolean -> bool, binary -> byte[],
/// date -> DateOnly, timestamp -> DateTimeOffset (UTC), timestamp_ntz -> DateTime (unspecified kind).
/// </summary>
public sealed record PrimitiveType : DeltaType
{
    private PrimitiveType(string name) => Name = name;

    /// <summary>The protocol name ("string", "long", ...).</summary>
    public string Name { get; }

    public static PrimitiveType String { get; } = new("string");
    public static PrimitiveType Long { get; } = new("long");
    public static PrimitiveType Integer { get; } = new("integer");
    public static PrimitiveType Short { get; } = new("short");
    public static PrimitiveType Byte { get; } = new("byte");
    public static PrimitiveType Float { get; } = new("float");
    public static PrimitiveType Double { get; } = new("double");
    public static PrimitiveType Boolean { get; } = new("boolean");
    public static PrimitiveType Binary { get; } = new("binary");
    public static PrimitiveType Date { get; } = new("date");
    public static PrimitiveType Timestamp { get; } = new("timestamp");
    public static PrimitiveType TimestampNtz { get; } = new("timestamp_ntz");

    /// <summary>The primitive type with that protocol name, or null when the name is not a primitive.</summary>
    public static PrimitiveType? FromName(string name) => name switch
    {
        "string" => String,
        "long" => Long,
        "integer" => Integer,
        "short" => Short,
        "byte" => Byte,
        "float" => Float,
        "double" => Double,
        "boolean" => Boolean,
        "binary" => Binary,
        "date" => Date,
        "timestamp" => Timestamp,
        "timestamp_ntz" => TimestampNtz,
        _ => null,
    };

    public override string ToString() => Name;
}
