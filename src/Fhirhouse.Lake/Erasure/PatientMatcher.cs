using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fhirhouse.Fhir.Bundles;
using Fhirhouse.Fhir.Resources;

namespace Fhirhouse.Lake.Erasure;

/// <summary>
/// What belongs to one patient: <c>Patient/ID</c>, every resource of their compartment (by the scanner's
/// <see cref="ResourceHeader.PatientId"/>), and every resource key known from bronze to be theirs (deletion rows and
/// Bundle DELETE entries carry no patient). Strips their lines from NDJSON and their entries from Bundles.
/// </summary>
public sealed class PatientMatcher
{
    private static readonly JsonSerializerOptions s_compact = new() { WriteIndented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly HashSet<string> _keys;
    private readonly byte[] _reference;
    private readonly byte[] _quotedId;

    public PatientMatcher(string patientId, IEnumerable<string> resourceKeys)
    {
        PatientId = patientId;
        Reference = "Patient/" + patientId;
        _keys = new HashSet<string>(resourceKeys, StringComparer.Ordinal) { Reference };
        _reference = Encoding.UTF8.GetBytes(Reference);
        _quotedId = Encoding.UTF8.GetBytes("\"" + patientId + "\"");
    }

    public string PatientId { get; }

    /// <summary>"Patient/ID".</summary>
    public string Reference { get; }

    /// <summary>Every "Type/id" known to be the patient's, Patient/ID included.</summary>
    public IReadOnlySet<string> Keys => _keys;

    public bool OwnsKey(string? resourceType, string? id) => resourceType is not null && id is not null && _keys.Contains(resourceType + "/" + id);

    /// <summary>True for a value naming the patient: "ID", "Patient/ID" or one of their resource keys.</summary>
    public bool Names(string? value) => value is not null && (string.Equals(value, PatientId, StringComparison.Ordinal) || _keys.Contains(value));

    /// <summary>True when a resource is the patient's; text that is not a resource is theirs when it mentions them.</summary>
    public bool OwnsResource(ReadOnlySpan<byte> json)
    {
        try
        {
            var header = ResourceScanner.Scan(json, checkStructure: false);
            return string.Equals(header.PatientId, PatientId, StringComparison.Ordinal) || OwnsKey(header.ResourceType, header.Id);
        }
        catch (InvalidResourceException)
        {
            return Mentions(json);
        }
    }

    /// <summary>True when the bytes hold the reference "Patient/ID" as a whole (not "Patient/ID2").</summary>
    public bool References(ReadOnlySpan<byte> bytes)
    {
        for (var at = bytes.IndexOf(_reference); at >= 0;)
        {
            var end = at + _reference.Length;
            if (end == bytes.Length || !IsIdByte(bytes[end]))
            {
                return true;
            }

            var next = bytes[end..].IndexOf(_reference);
            at = next < 0 ? -1 : end + next;
        }

        return false;
    }

    private static bool IsIdByte(byte b) => char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'.';

    /// <summary>True when the bytes hold "Patient/ID" or the quoted id.</summary>
    public bool Mentions(ReadOnlySpan<byte> bytes) => bytes.IndexOf(_reference) >= 0 || bytes.IndexOf(_quotedId) >= 0;

    /// <summary>
    /// The item (an NDJSON line or a whole JSON payload) without the patient: null when nothing of theirs is in it, an
    /// empty array when all of it goes, else the Bundle without their entries. <paramref name="removed"/> counts the
    /// resources (or entries) taken out.
    /// </summary>
    public byte[]? Strip(ReadOnlySpan<byte> item, out int removed)
    {
        removed = 0;
        if (ResourceScanner.PeekResourceType(item) == "Bundle")
        {
            return StripBundle(item, out removed);
        }

        if (!OwnsResource(item))
        {
            return null;
        }

        removed = 1;
        return [];
    }

    private byte[]? StripBundle(ReadOnlySpan<byte> item, out int removed)
    {
        removed = 0;
        BundleContent content;
        try
        {
            content = BundleReader.Read(item);
        }
        catch (InvalidResourceException)
        {
            if (!Mentions(item))
            {
                return null;
            }

            removed = 1;
            return [];
        }

        var owned = new List<int>();
        foreach (var entry in content.Entries)
        {
            if (entry.Resource is { } resource ? OwnsResource(resource)
                : entry.Received is { } received ? Mentions(received)
                : entry.Key is { } key && _keys.Contains(key))
            {
                owned.Add(entry.Index);
            }
        }

        if (owned.Count == 0)
        {
            return null;
        }

        removed = owned.Count;
        if (owned.Count == content.Entries.Count)
        {
            return [];
        }

        var bundle = JsonNode.Parse(item)!.AsObject();
        var entries = bundle["entry"]!.AsArray();
        foreach (var index in owned.OrderDescending())
        {
            entries.RemoveAt(index);
        }

        return JsonSerializer.SerializeToUtf8Bytes(bundle, s_compact);
    }
}
