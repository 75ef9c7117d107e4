using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Fhirhouse.Delta.Schema;

/// <summary>Delta schema JSON (the <c>schemaString</c> of metaData) to and from <see cref="StructType"/>.</summary>
public static class SchemaJson
{
    /// <summary>Parses a schemaString; throws <see cref="FormatException"/> naming the bad type.</summary>
    public static StructType Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return ParseType(doc.RootElement) as StructType
            ?? throw new FormatException("A Delta schema must be a struct type.");
    }

    /// <summary>Writes the schema as Delta schema JSON.</summary>
    public static string Serialize(StructType schema)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteType(writer, schema);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static DeltaType ParseType(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            var name = element.GetString()!;
            if (PrimitiveType.FromName(name) is { } primitive)
            {
                return primitive;
            }

            if (name.StartsWith("decimal(", StringComparison.Ordinal) && name.EndsWith(')'))
            {
                var parts = name[8..^1].Split(',');
                return new DecimalType(int.Parse(parts[0].Trim(), CultureInfo.InvariantCulture), int.Parse(parts[1].Trim(), CultureInfo.InvariantCulture));
            }

            if (name == "decimal")
            {
                return new DecimalType(10, 0);
            }

            throw new FormatException($"Unknown Delta type '{name}'.");
        }

        var type = element.GetProperty("type").GetString();
        switch (type)
        {
            case "struct":
                var fields = new List<StructField>();
                foreach (var f in element.GetProperty("fields").EnumerateArray())
                {
                    var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
                    if (f.TryGetProperty("metadata", out var md) && md.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var p in md.EnumerateObject())
                        {
                            metadata[p.Name] = p.Value.GetRawText();
                        }
                    }

                    var nullable = !f.TryGetProperty("nullable", out var n) || n.GetBoolean();
                    fields.Add(new StructField(f.GetProperty("name").GetString()!, ParseType(f.GetProperty("type")), nullable, metadata));
                }

                return new StructType(fields);
            case "array":
                return new ArrayType(ParseType(element.GetProperty("elementType")),
                    !element.TryGetProperty("containsNull", out var cn) || cn.GetBoolean());
            case "map":
                return new MapType(ParseType(element.GetProperty("keyType")), ParseType(element.GetProperty("valueType")),
                    !element.TryGetProperty("valueContainsNull", out var vn) || vn.GetBoolean());
            default:
                throw new FormatException($"Unknown Delta type '{type}'.");
        }
    }

    private static void WriteType(Utf8JsonWriter writer, DeltaType type)
    {
        switch (type)
        {
            case PrimitiveType p:
                writer.WriteStringValue(p.Name);
                break;
            case DecimalType d:
                writer.WriteStringValue(d.ToString());
                break;
            case StructType s:
                writer.WriteStartObject();
                writer.WriteString("type", "struct");
                writer.WriteStartArray("fields");
                foreach (var f in s.Fields)
                {
                    writer.WriteStartObject();
                    writer.WriteString("name", f.Name);
                    writer.WritePropertyName("type");
                    WriteType(writer, f.Type);
                    writer.WriteBoolean("nullable", f.Nullable);
                    writer.WriteStartObject("metadata");
                    foreach (var (key, value) in f.Metadata)
                    {
                        writer.WritePropertyName(key);
                        writer.WriteRawValue(value);
                    }

                    writer.WriteEndObject();
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
                break;
            case ArrayType a:
                writer.WriteStartObject();
                writer.WriteString("type", "array");
                writer.WritePropertyName("elementType");
                WriteType(writer, a.ElementType);
                writer.WriteBoolean("containsNull", a.ContainsNull);
                writer.WriteEndObject();
                break;
            case MapType m:
                writer.WriteStartObject();
                writer.WriteString("type", "map");
                writer.WritePropertyName("keyType");
                WriteType(writer, m.KeyType);
                writer.WritePropertyName("valueType");
                WriteType(writer, m.ValueType);
                writer.WriteBoolean("valueContainsNull", m.ValueContainsNull);
                writer.WriteEndObject();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown Delta type.");
        }
    }
}
