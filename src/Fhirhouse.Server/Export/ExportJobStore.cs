using Fhirhouse.Lake;
using System.Text.Json;
using System.Text.Json.Serialization;
using Fhirhouse.Storage;

namespace Fhirhouse.Server.Export;

/// <summary>Export jobs and their files in the lake, under <c>jobs/exports/&lt;id&gt;/</c>, encrypted like the rest of the lake (<c>_fhirhouse/</c> is the store's plaintext metadata).</summary>
internal sealed class ExportJobStore(IObjectStore lake)
{
    public const string Prefix = LakeLayout.ServerExports;
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public IObjectStore Lake => lake;

    public static string FileKey(string id, string name) => $"{Prefix}{id}/{name}";

    public async Task SaveAsync(ExportJob job, CancellationToken cancellationToken) =>
        await lake.PutAsync(FileKey(job.Id, "job.json"), JsonSerializer.SerializeToUtf8Bytes(job, s_json), cancellationToken).ConfigureAwait(false);

    public async Task<ExportJob?> LoadAsync(string id, CancellationToken cancellationToken)
    {
        if (!IsJobId(id) || !await lake.ExistsAsync(FileKey(id, "job.json"), cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return JsonSerializer.Deserialize<ExportJob>(await lake.ReadAllBytesAsync(FileKey(id, "job.json"), cancellationToken).ConfigureAwait(false), s_json);
    }

    public async Task DeleteFilesAsync(string id, CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        await foreach (var info in lake.ListAsync($"{Prefix}{id}/", cancellationToken).ConfigureAwait(false))
        {
            keys.Add(info.Key);
        }

        foreach (var key in keys.Where(k => !k.EndsWith("/job.json", StringComparison.Ordinal)))
        {
            await lake.DeleteAsync(key, cancellationToken).ConfigureAwait(false);
        }
    }

    public static bool IsJobId(string id) => id.Length == 32 && id.All(char.IsAsciiHexDigitLower);
}
