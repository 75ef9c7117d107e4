using System.Text.Json;
using Fhirhouse.Nlp.Sources;

namespace Fhirhouse.Nlp.Fhir;

/// <summary>
/// What every resource made from one source resource shares: the source, the engine version, the instant they are
/// updated at, and when the source was written (a valid FHIR dateTime, else null).
/// </summary>
internal sealed record SourceContext(SourceDocument Document, string EngineVersion, string LastUpdated, string? Written)
{
    /// <summary>The <c>meta.source</c> of every resource the NLP stage writes.</summary>
    public const string MetaSource = "fhirhouse-nlp";

    public const string TagSystem = "https://fhirhouse.org/fhir/CodeSystem/nlp";
    public const string TagCode = "nlp";
    public const string ExtensionUrl = "https://fhirhouse.org/fhir/StructureDefinition/nlp-mention";

    /// <summary>The patient, or null: no resource is made without one.</summary>
    public string? Subject => Document.Subject;

    public string SourceKey => Document.Key;

    public static SourceContext Of(SourceDocument document, string engineVersion, DateTimeOffset fallbackUpdated) => new(
        document,
        engineVersion,
        FhirDates.IsInstant(document.LastUpdated) ? document.LastUpdated! : FhirDates.Instant(fallbackUpdated),
        FhirDates.IsDateTime(document.WrittenText) ? document.WrittenText : null);

    public void Meta(Utf8JsonWriter w)
    {
        w.WriteStartObject("meta");
        w.WriteString("lastUpdated", LastUpdated);
        w.WriteString("source", MetaSource);
        w.WriteStartArray("tag");
        FhirJson.Coding(w, TagSystem, TagCode, "Derived from free text by Fhirhouse NLP");
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>The <c>nlp-mention</c> extension: where the mention is, its words, the rules that decided its assertion and the engine version.</summary>
    public void Extension(Utf8JsonWriter w, SourceText text, int start, int end, IReadOnlyList<string> rules)
    {
        w.WriteStartArray("extension");
        w.WriteStartObject();
        w.WriteString("url", ExtensionUrl);
        w.WriteStartArray("extension");
        w.WriteStartObject();
        w.WriteString("url", "source");
        FhirJson.Reference(w, "valueReference", SourceKey);
        w.WriteEndObject();
        Part(w, "textPath", text.Path);
        Part(w, "start", start);
        Part(w, "end", end);
        Part(w, "text", text.Text[start..end]);
        foreach (var rule in rules)
        {
            Part(w, "rule", rule);
        }

        Part(w, "engineVersion", EngineVersion);
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndArray();
    }

    private static void Part(Utf8JsonWriter w, string url, string value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        w.WriteStartObject();
        w.WriteString("url", url);
        w.WriteString("valueString", value);
        w.WriteEndObject();
    }

    private static void Part(Utf8JsonWriter w, string url, int value)
    {
        w.WriteStartObject();
        w.WriteString("url", url);
        w.WriteNumber("valueInteger", value);
        w.WriteEndObject();
    }
}
