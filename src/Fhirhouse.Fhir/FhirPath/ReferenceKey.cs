using System.Text.Json;

namespace Fhirhouse.Fhir.FhirPath;

/// <summary>
/// The key getReferenceKey() returns for a Reference: the id it points to, the same value getResourceKey() returns
/// for the target ("Patient/p1", "https://x/fhir/Patient/p1/_history/2" and "urn:uuid:p1" all give "p1").
/// </summary>
internal static class ReferenceKey
{
    public static string? Of(in FhirItem item, string? expectedType)
    {
        if (!item.IsObject || !item.Element.TryGetProperty("reference"u8, out var referenceElement)
            || referenceElement.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var reference = referenceElement.GetString()!;
        if (reference.StartsWith("urn:uuid:", StringComparison.Ordinal) || reference.StartsWith("urn:oid:", StringComparison.Ordinal))
        {
            var declared = item.Element.TryGetProperty("type"u8, out var typeElement) ? typeElement.GetString() : null;
            return expectedType is null || declared is null || string.Equals(declared, expectedType, StringComparison.Ordinal)
                ? reference[(reference.IndexOf(':', 4) + 1)..]
                : null;
        }

        if (reference.Contains('?', StringComparison.Ordinal) || reference.StartsWith('#'))
        {
            return null;
        }

        var segments = reference.Split('/');
        var end = segments.Length;
        if (end >= 4 && string.Equals(segments[end - 2], "_history", StringComparison.Ordinal))
        {
            end -= 2;
        }

        if (end < 2)
        {
            return null;
        }

        var type = segments[end - 2];
        return expectedType is null || string.Equals(type, expectedType, StringComparison.Ordinal) ? segments[end - 1] : null;
    }
}
