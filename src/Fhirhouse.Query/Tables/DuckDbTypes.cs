using System.Globalization;
using Fhirhouse.Delta.Schema;

namespace Fhirhouse.Query.Tables;

/// <summary>DuckDB spellings of Delta types, identifiers and literals.</summary>
internal static class DuckDbTypes
{
    public static string Of(DeltaType type) => type switch
    {
        PrimitiveType p when p == PrimitiveType.String => "VARCHAR",
        PrimitiveType p when p == PrimitiveType.Long => "BIGINT",
        PrimitiveType p when p == PrimitiveType.Integer => "INTEGER",
        PrimitiveType p when p == PrimitiveType.Short => "SMALLINT",
        PrimitiveType p when p == PrimitiveType.Byte => "TINYINT",
        PrimitiveType p when p == PrimitiveType.Float => "FLOAT",
        PrimitiveType p when p == PrimitiveType.Double => "DOUBLE",
        PrimitiveType p when p == PrimitiveType.Boolean => "BOOLEAN",
        PrimitiveType p when p == PrimitiveType.Binary => "BLOB",
        PrimitiveType p when p == PrimitiveType.Date => "DATE",
        PrimitiveType p when p == PrimitiveType.Timestamp => "TIMESTAMPTZ",
        PrimitiveType p when p == PrimitiveType.TimestampNtz => "TIMESTAMP",
        DecimalType d => string.Create(CultureInfo.InvariantCulture, $"DECIMAL({d.Precision},{d.Scale})"),
        ArrayType a => Of(a.ElementType) + "[]",
        MapType m => $"MAP({Of(m.KeyType)}, {Of(m.ValueType)})",
        StructType s => "STRUCT(" + string.Join(", ", s.Fields.Select(f => Identifier(f.Name) + " " + Of(f.Type))) + ")",
        _ => throw new NotSupportedException($"No DuckDB type for the Delta type {type}."),
    };

    public static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
