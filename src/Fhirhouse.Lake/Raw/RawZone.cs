using Fhirhouse.Lake;
using System.Security.Cryptography;
using Fhirhouse.Lake.Tables;
using Fhirhouse.Storage;

namespace Fhirhouse.Lake.Raw;

/// <summary>
/// The raw zone: every payload stored as received, immutable and content-addressed
/// (<c>raw/payloads/ab/abcdef….ndjson</c>, by SHA-256), written with put-if-absent so a payload is stored once however
/// often it arrives. Encryption is the store's business (the lake's store is encrypted by default).
/// </summary>
public sealed class RawZone(IObjectStore store)
{
    /// <summary>Stores a local file (hashed in a first pass, then streamed into the store).</summary>
    public async Task<RawPayload> LandFileAsync(string path, string extension, CancellationToken cancellationToken = default)
    {
        string hash;
        long size;
        await using (var file = OpenRead(path))
        {
            hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken).ConfigureAwait(false));
            size = file.Length;
        }

        var key = LakeLayout.RawPayloadKey(hash, extension);
        if (await store.ExistsAsync(key, cancellationToken).ConfigureAwait(false))
        {
            return new RawPayload(hash, key, size, New: false);
        }

        await using (var file = OpenRead(path))
        {
            var stored = await store.PutIfAbsentAsync(key, file, cancellationToken).ConfigureAwait(false);
            return new RawPayload(hash, key, size, stored);
        }
    }

    /// <summary>Stores bytes received over the network or from a topic.</summary>
    public async Task<RawPayload> LandAsync(ReadOnlyMemory<byte> content, string extension, CancellationToken cancellationToken = default)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(content.Span));
        var key = LakeLayout.RawPayloadKey(hash, extension);
        var stored = await store.PutIfAbsentAsync(key, content, cancellationToken).ConfigureAwait(false);
        return new RawPayload(hash, key, content.Length, stored);
    }

    /// <summary>Opens a stored payload.</summary>
    public Task<Stream> OpenAsync(string key, CancellationToken cancellationToken = default) => store.OpenReadAsync(key, cancellationToken);

    private static FileStream OpenRead(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan | FileOptions.Asynchronous);
}
