using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Fhirhouse.Nlp.Lexicon;

namespace Fhirhouse.Nlp.Fhir;

/// <summary>The FHIR JSON datatypes the NLP resources are made of, written with <see cref="Utf8JsonWriter"/>; nothing null or empty is written.</summary>
internal static class FhirJson
{
    public const string Ucum = "http://unitsofmeasure.org";

    private static readonly JsonWriterOptions s_options = new() { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A resource of <paramref name="type"/> and <paramref name="id"/>, its other elements written by <paramref name="body"/>.</summary>
    public static WrittenResource Resource(string type, string id, Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer, s_options))
        {
            w.WriteStartObject();
            w.WriteString("resourceType", type);
            w.WriteString("id", id);
            body(w);
            w.WriteEndObject();
        }

        return new WrittenResource(type, id, Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    /// <summary>A JSON document rewritten by <paramref name="body"/>, as one compact line.</summary>
    public static string Json(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer, s_options))
        {
            body(w);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static void String(Utf8JsonWriter w, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            w.WriteString(name, value);
        }
    }

    public static void Coding(Utf8JsonWriter w, string system, string code, string? display)
    {
        w.WriteStartObject();
        w.WriteString("system", system);
        w.WriteString("code", code);
        String(w, "display", display);
        w.WriteEndObject();
    }

    /// <summary>A CodeableConcept of one coding.</summary>
    public static void Concept(Utf8JsonWriter w, string name, string system, string code, string? display, string? text = null)
    {
        w.WriteStartObject(name);
        w.WriteStartArray("coding");
        Coding(w, system, code, display);
        w.WriteEndArray();
        String(w, "text", text);
        w.WriteEndObject();
    }

    /// <summary>A CodeableConcept of a lexicon concept's codes, with the words as written as its text.</summary>
    public static void Concept(Utf8JsonWriter w, string name, IReadOnlyList<Coding> codes, string text)
    {
        w.WriteStartObject(name);
        if (codes.Count > 0)
        {
            w.WriteStartArray("coding");
            foreach (var code in codes)
            {
                Coding(w, code.System, code.Code, null);
            }

            w.WriteEndArray();
        }

        String(w, "text", text);
        w.WriteEndObject();
    }

    /// <summary>An array of one CodeableConcept of one coding.</summary>
    public static void ConceptList(Utf8JsonWriter w, string name, string system, string code, string? display)
    {
        w.WriteStartArray(name);
        w.WriteStartObject();
        w.WriteStartArray("coding");
        Coding(w, system, code, display);
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndArray();
    }

    public static void Reference(Utf8JsonWriter w, string name, string reference)
    {
        w.WriteStartObject(name);
        w.WriteString("reference", reference);
        w.WriteEndObject();
    }

    public static void ReferenceList(Utf8JsonWriter w, string name, string reference)
    {
        w.WriteStartArray(name);
        w.WriteStartObject();
        w.WriteString("reference", reference);
        w.WriteEndObject();
        w.WriteEndArray();
    }

    /// <summary>A Quantity in UCUM: the value, its comparator, the unit for people and its UCUM code.</summary>
    public static void Quantity(Utf8JsonWriter w, string name, decimal value, string? comparator, string unit, string ucum)
    {
        w.WriteStartObject(name);
        w.WriteNumber("value", value);
        String(w, "comparator", comparator);
        String(w, "unit", unit);
        w.WriteString("system", Ucum);
        w.WriteString("code", ucum);
        w.WriteEndObject();
    }
}
