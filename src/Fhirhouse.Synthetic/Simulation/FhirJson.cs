using System.Text.Json;
using Fhirhouse.Synthetic.Catalog;

namespace Fhirhouse.Synthetic.Simulation;

/// <summary>Writers for the FHIR datatypes the generator uses.</summary>
internal static class FhirJson
{
    /// <summary>"name": [ {system, code, display} ].</summary>
    public static void Coding(Utf8JsonWriter w, string name, Code code)
    {
        w.WriteStartArray(name);
        CodingObject(w, code);
        w.WriteEndArray();
    }

    public static void CodingObject(Utf8JsonWriter w, Code code)
    {
        w.WriteStartObject();
        w.WriteString("system", code.System);
        w.WriteString("code", code.Value);
        w.WriteString("display", code.Display);
        w.WriteEndObject();
    }

    /// <summary>"name": {coding: [...], text}.</summary>
    public static void Concept(Utf8JsonWriter w, string name, string? text, params Code[] codes)
    {
        w.WriteStartObject(name);
        w.WriteStartArray("coding");
        foreach (var c in codes)
        {
            CodingObject(w, c);
        }

        w.WriteEndArray();
        if (text is not null)
        {
            w.WriteString("text", text);
        }

        w.WriteEndObject();
    }

    /// <summary>"name": [ {coding: [...]} ].</summary>
    public static void ConceptList(Utf8JsonWriter w, string name, params Code[] codes)
    {
        w.WriteStartArray(name);
        w.WriteStartObject();
        w.WriteStartArray("coding");
        foreach (var c in codes)
        {
            CodingObject(w, c);
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndArray();
    }

    /// <summary>"name": {reference}.</summary>
    public static void Reference(Utf8JsonWriter w, string name, string reference)
    {
        w.WriteStartObject(name);
        w.WriteString("reference", reference);
        w.WriteEndObject();
    }

    /// <summary>"name": [ {reference} ].</summary>
    public static void ReferenceList(Utf8JsonWriter w, string name, string reference)
    {
        w.WriteStartArray(name);
        w.WriteStartObject();
        w.WriteString("reference", reference);
        w.WriteEndObject();
        w.WriteEndArray();
    }

    /// <summary>"name": {value, unit, system: UCUM, code}, the value rounded to <paramref name="decimals"/>.</summary>
    public static void Quantity(Utf8JsonWriter w, string name, double value, int decimals, string ucum)
    {
        w.WriteStartObject(name);
        w.WriteNumber("value", Math.Round((decimal)value, decimals));
        w.WriteString("unit", ucum);
        w.WriteString("system", Code.Ucum);
        w.WriteString("code", ucum);
        w.WriteEndObject();
    }
}
