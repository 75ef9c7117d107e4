using System.Text.Json;

namespace Fhirhouse.Nlp.Tests.Fhir;

internal static class Json
{
    public static JsonElement Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>The code of the first coding of a CodeableConcept property, or null when there is none.</summary>
    public static string? Code(JsonElement resource, string property) =>
        resource.TryGetProperty(property, out var concept) ? concept.GetProperty("coding")[0].GetProperty("code").GetString() : null;

    /// <summary>The values of the nlp-mention extension's parts.</summary>
    public static ILookup<string, JsonElement> Mention(JsonElement resource) =>
        resource.GetProperty("extension").EnumerateArray()
            .Single(e => e.GetProperty("url").GetString() == "https://fhirhouse.org/fhir/StructureDefinition/nlp-mention")
            .GetProperty("extension").EnumerateArray()
            .ToLookup(p => p.GetProperty("url").GetString()!, p => p.EnumerateObject().First(v => v.Name.StartsWith("value", StringComparison.Ordinal)).Value);
}
