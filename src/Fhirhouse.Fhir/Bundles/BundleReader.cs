using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fhirhouse.Fhir.Resources;

namespace Fhirhouse.Fhir.Bundles;

/// <summary>
/// Splits a FHIR Bundle into its entries. References between entries by <c>urn:uuid:</c> fullUrl are rewritten to
/// <c>Type/id</c> so that joins work once the entries are stored apart; an entry resource without an id (a POST in a
/// transaction) takes the uuid of its fullUrl as id. Throws <see cref="InvalidResourceException"/> naming the entry.
/// Bytes that are not UTF-8 never reach an entry's resource: an entry holding them is given as refused
/// (<see cref="BundleEntry.Error"/>) and the others are read; outside the entries, they refuse the Bundle.
/// </summary>
public static class BundleReader
{
    private static readonly JsonSerializerOptions s_compact = new() { WriteIndented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The Bundle's type ("transaction", "collection", ...), its timestamp and its entries in order.</summary>
    public static BundleContent Read(ReadOnlySpan<byte> bundleJson)
    {
        var refused = RefusedEntries(bundleJson);
        try
        {
            return Read(bundleJson, refused);
        }
        catch (InvalidOperationException e)
        {
            // A value of another kind than the element needs, or a string whose escapes are not Unicode (\uD800).
            throw new InvalidResourceException($"Bundle cannot be read: {e.Message}", inner: e);
        }
    }

    private static BundleContent Read(ReadOnlySpan<byte> bundleJson, Dictionary<int, BundleEntry>? refused)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(bundleJson);
        }
        catch (JsonException e)
        {
            throw new InvalidResourceException($"Bundle is not valid JSON: {e.Message}", inner: e);
        }

        if (root is not JsonObject bundle || (string?)bundle["resourceType"] != "Bundle")
        {
            throw new InvalidResourceException("not a Bundle (resourceType is not 'Bundle')");
        }

        var type = (string?)bundle["type"] ?? throw new InvalidResourceException("Bundle has no type");
        DateTimeOffset? timestamp = DateTimeOffset.TryParse((string?)bundle["timestamp"] ?? (string?)bundle["meta"]?["lastUpdated"], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var t) ? t : null;
        if (bundle["entry"] is not JsonArray entries)
        {
            return new BundleContent(type, timestamp, []);
        }

        // First pass: the Type/id each urn:uuid fullUrl stands for.
        var targets = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            if (refused?.ContainsKey(i) == true)
            {
                continue;
            }

            if (entries[i] is not JsonObject entry)
            {
                throw new InvalidResourceException($"entry[{i}] is not an object");
            }

            var fullUrl = (string?)entry["fullUrl"];
            if (entry["resource"] is JsonObject resource && fullUrl is not null && fullUrl.StartsWith("urn:uuid:", StringComparison.Ordinal))
            {
                var resourceType = (string?)resource["resourceType"] ?? throw new InvalidResourceException($"entry[{i}].resource has no resourceType");
                var id = (string?)resource["id"];
                if (id is null)
                {
                    id = fullUrl["urn:uuid:".Length..];
                    resource["id"] = id;
                }

                targets[fullUrl] = resourceType + "/" + id;
            }
        }

        var result = new List<BundleEntry>(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            if (refused?.GetValueOrDefault(i) is { } invalid)
            {
                result.Add(invalid);
                continue;
            }

            var entry = (JsonObject)entries[i]!;
            var request = entry["request"] as JsonObject;
            var method = (string?)request?["method"];
            if (entry["resource"] is JsonObject resource)
            {
                Rewrite(resource, targets);
                var bytes = JsonSerializer.SerializeToUtf8Bytes(resource, s_compact);
                var resourceType = (string?)resource["resourceType"];
                var id = (string?)resource["id"];
                result.Add(new BundleEntry(i, method, resourceType is null || id is null ? null : resourceType + "/" + id, bytes));
            }
            else if (string.Equals(method, "DELETE", StringComparison.Ordinal))
            {
                var url = (string?)request!["url"] ?? throw new InvalidResourceException($"entry[{i}] is a DELETE without request.url");
                result.Add(new BundleEntry(i, method, url.Split('?')[0].TrimStart('/'), null, LastModified(entry)));
            }
            else if (((string?)entry["response"]?["status"])?.StartsWith("410", StringComparison.Ordinal) == true && KeyOfGone(entry) is { } gone)
            {
                // A history entry without its request: the response says the resource is gone.
                result.Add(new BundleEntry(i, "DELETE", gone, null, LastModified(entry)));
            }
            else
            {
                throw new InvalidResourceException($"entry[{i}] has no resource");
            }
        }

        return new BundleContent(type, timestamp, result);
    }

    /// <summary>
    /// Null when the Bundle is UTF-8 throughout (one vectorised pass); otherwise the entries that are not, refused with
    /// the offset of their first bad byte. Throws when bytes outside the entries are not UTF-8.
    /// </summary>
    private static Dictionary<int, BundleEntry>? RefusedEntries(ReadOnlySpan<byte> json)
    {
        var first = Utf8Validation.IndexOfInvalid(json);
        if (first < 0)
        {
            return null;
        }

        // The JSON reader does not check UTF-8 inside strings, and JSON's structure is ASCII: bad bytes are inside
        // strings, so each lies whole inside one entry or outside all of them.
        var refused = new Dictionary<int, BundleEntry>();
        var outside = 0;
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw Outside(first);
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isEntry = reader.ValueTextEquals("entry"u8);
                reader.Read();
                if (!isEntry || reader.TokenType != JsonTokenType.StartArray)
                {
                    reader.Skip();
                    continue;
                }

                for (var index = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; index++)
                {
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    var end = (int)reader.BytesConsumed;
                    if (Utf8Validation.IndexOfInvalid(json[outside..start]) is var before and >= 0)
                    {
                        throw Outside(outside + before);
                    }

                    if (Utf8Validation.IndexOfInvalid(json[start..end]) is var bad and >= 0)
                    {
                        refused[index] = BundleEntry.Refused(index, $"invalid UTF-8 at byte offset {start + bad} of the Bundle", json[start..end].ToArray());
                    }

                    outside = end;
                }
            }
        }
        catch (JsonException e)
        {
            throw new InvalidResourceException($"Bundle is not valid JSON: {e.Message}", inner: e);
        }

        return Utf8Validation.IndexOfInvalid(json[outside..]) is var after and >= 0 ? throw Outside(outside + after) : refused;

        static InvalidResourceException Outside(int offset) => new($"invalid UTF-8 at byte offset {offset} of the Bundle, outside its entries");
    }

    private static DateTimeOffset? LastModified(JsonObject entry) =>
        DateTimeOffset.TryParse((string?)entry["response"]?["lastModified"], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var t) ? t : null;

    /// <summary>"Type/id" from a gone entry's fullUrl (<c>[base]/Type/id</c>) or response.location (<c>Type/id/_history/n</c>).</summary>
    private static string? KeyOfGone(JsonObject entry)
    {
        if ((string?)entry["response"]?["location"] is { } location && location.Split('/') is [.., var type, var id, "_history", _])
        {
            return type + "/" + id;
        }

        return (string?)entry["fullUrl"] is { } fullUrl && fullUrl.Split('/') is [.., var t, var i] && t.Length > 0 && i.Length > 0 ? t + "/" + i : null;
    }

    private static void Rewrite(JsonNode node, Dictionary<string, string> targets)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj.ToList())
                {
                    if (name == "reference" && value is JsonValue v && v.TryGetValue<string>(out var reference) && targets.TryGetValue(reference, out var target))
                    {
                        obj["reference"] = target;
                    }
                    else if (value is not null)
                    {
                        Rewrite(value, targets);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    if (item is not null)
                    {
                        Rewrite(item, targets);
                    }
                }

                break;
        }
    }
}
