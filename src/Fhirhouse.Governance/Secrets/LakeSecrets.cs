using Fhirhouse.Lake;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Fhirhouse.Storage;
using Fhirhouse.Storage.Keys;

namespace Fhirhouse.Governance.Secrets;

/// <summary>
/// The lake's governance secret: 32 random bytes made once per lake, kept in the lake (<see cref="ObjectKey"/>) only
/// wrapped under the key provider's key <see cref="KeyId"/>. Purpose keys are derived from it with HKDF-SHA256, so
/// that pseudonyms (research exports) and erasure proofs (subject hashes, report signatures) are stable for a lake,
/// differ between lakes, and never need the secret itself to leave this process.
/// </summary>
public sealed class LakeSecrets
{
    /// <summary>The key-encryption key the secret is wrapped under.</summary>
    public const string KeyId = "fhirhouse-governance";

    /// <summary>Where the wrapped secret is kept (app state, encrypted again by an envelope lake).</summary>
    public const string ObjectKey = LakeLayout.Secrets + "governance.json";

    private readonly byte[] _secret;

    private LakeSecrets(byte[] secret) => _secret = secret;

    /// <summary>Opens the lake's secret, making and storing it on first use (a concurrent maker wins without error).</summary>
    public static async Task<LakeSecrets> OpenAsync(IObjectStore lake, IKeyProvider keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lake);
        ArgumentNullException.ThrowIfNull(keys);
        if (!await lake.ExistsAsync(ObjectKey, cancellationToken).ConfigureAwait(false))
        {
            await keys.CreateKeyAsync(KeyId, cancellationToken).ConfigureAwait(false);
            var secret = RandomNumberGenerator.GetBytes(32);
            var wrapped = await keys.WrapAsync(KeyId, secret, cancellationToken).ConfigureAwait(false);
            var document = JsonSerializer.SerializeToUtf8Bytes(new StoredSecret(wrapped.KeyId, wrapped.KekVersion, Convert.ToBase64String(wrapped.Ciphertext.Span)));
            CryptographicOperations.ZeroMemory(secret);
            await lake.PutIfAbsentAsync(ObjectKey, document, cancellationToken).ConfigureAwait(false);
        }

        StoredSecret stored;
        try
        {
            stored = JsonSerializer.Deserialize<StoredSecret>(await lake.ReadAllBytesAsync(ObjectKey, cancellationToken).ConfigureAwait(false))
                ?? throw new InvalidDataException($"{ObjectKey}: empty document.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{ObjectKey}: not a wrapped governance secret ({e.Message}).", e);
        }

        var unwrapped = await keys.UnwrapAsync(new WrappedDataKey(stored.KeyId, stored.KekVersion, Convert.FromBase64String(stored.Ciphertext)), cancellationToken).ConfigureAwait(false);
        return new LakeSecrets(unwrapped);
    }

    /// <summary>A 32-byte key for one purpose ("research-pseudonym", "erasure-report-signature", ...).</summary>
    public byte[] Derive(string purpose)
    {
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        return HKDF.DeriveKey(HashAlgorithmName.SHA256, _secret, 32, salt: null, info: Encoding.UTF8.GetBytes("fhirhouse/" + purpose));
    }

    private sealed record StoredSecret(string KeyId, int KekVersion, string Ciphertext);
}
