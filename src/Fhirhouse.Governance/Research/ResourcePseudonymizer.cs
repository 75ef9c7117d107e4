using System.Text.Json.Nodes;

namespace Fhirhouse.Governance.Research;

/// <summary>
/// De-identifies one FHIR resource as JSON: its id, every reference and every identifier value pseudonymised, every full
/// date and dateTime of a patient's resource shifted by their offset, names, addresses, telecom, photos and contacts
/// removed, and clinical free text (narrative, notes, comments, attachment data, message payloads, report conclusions,
/// patient instructions) removed unless kept.
/// </summary>
internal sealed class ResourcePseudonymizer(Pseudonymizer pseudonymizer, bool keepText)
{
    private static readonly string[] s_identity = ["address", "telecom", "photo", "contact"];
    private static readonly string[] s_text = ["note", "comment", "presentedForm", "data", "payload", "conclusion", "patientInstruction"];

    public JsonObject Transform(JsonObject resource, string? patientId)
    {
        var days = patientId is null ? (int?)null : pseudonymizer.ShiftDays(patientId);
        if (resource["id"] is JsonValue id && id.TryGetValue<string>(out var text))
        {
            resource["id"] = pseudonymizer.Pseudonym(text);
        }

        Walk(resource, days);
        return resource;
    }

    private void Walk(JsonNode node, int? days)
    {
        if (node is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                if (array[i] is JsonValue value && value.TryGetValue<string>(out var s))
                {
                    array[i] = Shift(s, days);
                }
                else if (array[i] is { } child)
                {
                    Walk(child, days);
                }
            }

            return;
        }

        if (node is not JsonObject obj)
        {
            return;
        }

        foreach (var name in obj.Select(p => p.Key).ToList())
        {
            var child = obj[name];
            if (s_identity.Contains(name, StringComparer.Ordinal) || (name == "name" && child is JsonArray)
                || (!keepText && (s_text.Contains(name, StringComparer.Ordinal) || (name == "text" && child is JsonObject { } narrative && narrative.ContainsKey("div")))))
            {
                obj.Remove(name);
                continue;
            }

            if (child is JsonValue value && value.TryGetValue<string>(out var s))
            {
                obj[name] = name switch
                {
                    "reference" => pseudonymizer.PseudonymOfReference(s),
                    "value" when obj.ContainsKey("system") && IsIdentifier(obj) => pseudonymizer.Pseudonym(s),
                    _ => Shift(s, days),
                };
            }
            else if (child is not null)
            {
                Walk(child, days);
            }
        }
    }

    /// <summary>An Identifier (system + value, maybe type/use/assigner) rather than a Quantity or a Coding.</summary>
    private static bool IsIdentifier(JsonObject obj) =>
        !obj.ContainsKey("unit") && !obj.ContainsKey("code") && !obj.ContainsKey("comparator") && obj.All(p => p.Key is "system" or "value" or "type" or "use" or "assigner" or "period" or "id" or "extension");

    private static string Shift(string value, int? days) => days is { } d ? Pseudonymizer.ShiftFhirDate(value, d) ?? value : value;
}
