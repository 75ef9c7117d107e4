using System.Security.Cryptography;
using System.Text.Json;
using Fhirhouse.Storage;
using Fhirhouse.Storage.Keys;

namespace Fhirhouse.Governance.Enforcement;

/// <summary>
/// The secret of the <c>hash</c> mask: 32 random bytes made once per lake, kept wrapped by the lake's key provider
/// under the key <see cref="KeyId"/> in <c>jobs/governance/mask-key.json</c>, unwrapped into memory only.
/// Destroying that key in the provider makes earlier pseudonyms unlinkable to new ones.
/// </summary>
public static class MaskKey
{
    public const string KeyId = "fhirhouse-mask";

    public const string ObjectKey = "jobs/governance/mask-key.json";

    public static async Task<byte[]> LoadOrCreateAsync(IObjectStore store, IKeyProvider keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(keys);
        if (!await store.ExistsAsync(ObjectKey, cancellationToken).ConfigureAwait(false))
        {
            await keys.CreateKeyAsync(KeyId, cancellationToken).ConfigureAwait(false);
            var secret = RandomNumberGenerator.GetBytes(32);
            var wrapped = await keys.WrapAsync(KeyId, secret, cancellationToken).ConfigureAwait(false);
            var json = JsonSerializer.SerializeToUtf8Bytes(new Stored(wrapped.KeyId, wrapped.KekVersion, Convert.ToBase64String(wrapped.Ciphertext.Span)));
            await store.PutIfAbsentAsync(ObjectKey, json, cancellationToken).ConfigureAwait(false);
        }

        var bytes = await store.ReadAllBytesAsync(ObjectKey, cancellationToken).ConfigureAwait(false);
        var stored = JsonSerializer.Deserialize<Stored>(bytes)
            ?? throw new InvalidDataException($"{ObjectKey}: empty; delete it to make a new mask key (earlier pseudonyms will not match new ones).");
        return await keys.UnwrapAsync(new WrappedDataKey(stored.KeyId, stored.KekVersion, Convert.FromBase64String(stored.Wrapped)), cancellationToken).ConfigureAwait(false);
    }

    private sealed record Stored(string KeyId, int KekVersion, string Wrapped);
}
