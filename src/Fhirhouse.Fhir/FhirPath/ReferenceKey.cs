using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Fhirhouse.Fhir.FhirPath;

/// <summary>
/// The key getReferenceKey() returns for a Reference: the id it points to, the same value getResourceKey() returns
/// for the target ("Patient/p1", "https://x/fhir/Patient/p1/_history/2" and "urn:uuid:p1" all give "p1").
/// Conditional ("Patient?identifier=...") and contained ("#p1") references have no key.
/// </summary>
internal static class ReferenceKey
{
    public static string? Of(in FhirItem item, byte[]? expectedType)
    {
        if (!item.IsObject || !item.Element.TryGetProperty("reference"u8, out var referenceElement)
            || referenceElement.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        // The raw token of a string is its text between quotes, as written (escapes included).
        var raw = JsonMarshal.GetRawUtf8Value(referenceElement)[1..^1];
        return raw.Contains((byte)'\\')
            ? Of(Encoding.UTF8.GetBytes(referenceElement.GetString()!), item.Element, expectedType)
            : Of(raw, item.Element, expectedType);
    }

    private static string? Of(ReadOnlySpan<byte> reference, JsonElement element, byte[]? expectedType)
    {
        if (reference.StartsWith("urn:uuid:"u8) || reference.StartsWith("urn:oid:"u8))
        {
            if (expectedType is not null && element.TryGetProperty("type"u8, out var declared) && !declared.ValueEquals(expectedType))
            {
                return null;
            }

            return Encoding.UTF8.GetString(reference[(reference[4] == (byte)'u' ? "urn:uuid:".Length : "urn:oid:".Length)..]);
        }

        if (reference.IsEmpty || reference.Contains((byte)'?') || reference[0] == (byte)'#')
        {
            return null;
        }

        var slash = reference.LastIndexOf((byte)'/');
        if (slash > 0 && reference[..slash].EndsWith("/_history"u8))
        {
            reference = reference[..(slash - "/_history".Length)];
            slash = reference.LastIndexOf((byte)'/');
        }

        if (slash <= 0 || slash == reference.Length - 1)
        {
            return null;
        }

        var id = reference[(slash + 1)..];
        var typeStart = reference[..slash].LastIndexOf((byte)'/') + 1;
        var type = reference[typeStart..slash];
        return expectedType is null || type.SequenceEqual(expectedType) ? Encoding.UTF8.GetString(id) : null;
    }
}
