using System.Text.Json;

namespace Fhirhouse.Ingest.Sources.Rest;

/// <summary>What the sync needs from a page (a searchset or history Bundle): its <c>next</c> link and the latest change it holds.</summary>
internal sealed record BundlePage(Uri? Next, DateTimeOffset? Latest, int Entries)
{
    /// <summary>Reads a page; throws <see cref="InvalidDataException"/> naming the URL when it is not a Bundle.</summary>
    public static BundlePage Read(ReadOnlyMemory<byte> json, Uri url)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("resourceType", out var type) || type.GetString() != "Bundle")
            {
                throw new InvalidDataException($"{url}: the answer is not a FHIR Bundle.");
            }

            Uri? next = null;
            if (root.TryGetProperty("link", out var links) && links.ValueKind == JsonValueKind.Array)
            {
                foreach (var link in links.EnumerateArray())
                {
                    if (link.TryGetProperty("relation", out var relation) && relation.GetString() == "next" && link.TryGetProperty("url", out var href) && href.GetString() is { } target)
                    {
                        next = new Uri(url, target);
                    }
                }
            }

            DateTimeOffset? latest = null;
            var count = 0;
            if (root.TryGetProperty("entry", out var entries) && entries.ValueKind == JsonValueKind.Array)
            {
                foreach (var entry in entries.EnumerateArray())
                {
                    count++;
                    latest = Max(latest, Instant(entry, "resource", "meta", "lastUpdated"));
                    latest = Max(latest, Instant(entry, "response", "lastModified"));
                }
            }

            return new BundlePage(next, latest, count);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{url}: the answer is not JSON ({e.Message}).", e);
        }
    }

    private static DateTimeOffset? Instant(JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return null;
            }
        }

        return element.ValueKind == JsonValueKind.String && element.TryGetDateTimeOffset(out var instant) ? instant : null;
    }

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : (a > b ? a : b);
}
