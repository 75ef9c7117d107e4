using Fhirhouse.Lake;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Fhirhouse.Storage;

namespace Fhirhouse.Ingest.Sources.Rest;

/// <summary>
/// The REST sync's high-water marks, one small JSON object per (server, type) in the lake
/// (<c>jobs/sync/rest/&lt;hash of the base URL&gt;/&lt;type&gt;.json</c>): the greatest <c>meta.lastUpdated</c>
/// (or history <c>response.lastModified</c>) landed so far.
/// </summary>
internal sealed class HighWaterMarks(IObjectStore lake, Uri baseUrl)
{
    private readonly string _prefix = LakeLayout.RestSync + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(baseUrl.AbsoluteUri.TrimEnd('/'))))[..16] + "/";

    public string KeyOf(string type) => _prefix + type + ".json";

    public async Task<DateTimeOffset?> ReadAsync(string type, CancellationToken cancellationToken)
    {
        var key = KeyOf(type);
        if (!await lake.ExistsAsync(key, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        await using var stream = await lake.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
        using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        return document.RootElement.GetProperty("highWater").GetDateTimeOffset();
    }

    public async Task WriteAsync(string type, DateTimeOffset highWater, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(new SyncMark(baseUrl.AbsoluteUri, type, highWater.ToUniversalTime(), now.ToUniversalTime()));
        using var content = new MemoryStream(json);
        await lake.PutAsync(KeyOf(type), content, cancellationToken).ConfigureAwait(false);
    }

    private sealed record SyncMark(
        [property: System.Text.Json.Serialization.JsonPropertyName("base")] string Base,
        [property: System.Text.Json.Serialization.JsonPropertyName("type")] string Type,
        [property: System.Text.Json.Serialization.JsonPropertyName("highWater")] DateTimeOffset HighWater,
        [property: System.Text.Json.Serialization.JsonPropertyName("updatedAt")] DateTimeOffset UpdatedAt);
}
