using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Fhirhouse.Storage.Keys.Caching;
using Kms = Amazon.KeyManagementService.Model;

namespace Fhirhouse.Storage.Keys.AwsKms;

/// <summary>
/// KEKs in AWS KMS: lake key id "lake" is the KMS key behind alias "alias/{prefix}lake". Data keys are wrapped with
/// KMS Encrypt under an encryption context naming the lake key id, and unwrapped with Decrypt. KMS keeps every key
/// material version itself, so the KEK version is always 1: rotation (RotateKeyOnDemand) needs no rewrap, and
/// destroying a key schedules its deletion (KMS's minimum window is 7 days; it is unusable at once).
/// </summary>
public sealed class AwsKmsKeyProvider(IAmazonKeyManagementService kms, string aliasPrefix = "fhirhouse-") : IKeyProvider
{
    private const string ContextKey = "fhirhouse:key-id";
    private const int Version = 1;

    public string Name => "aws-kms";

    public async Task<WrappedDataKey> WrapAsync(string keyId, ReadOnlyMemory<byte> dataKey, CancellationToken cancellationToken = default)
    {
        try
        {
            using var plaintext = new MemoryStream(dataKey.ToArray());
            var response = await kms.EncryptAsync(new EncryptRequest
            {
                KeyId = Alias(keyId),
                Plaintext = plaintext,
                EncryptionContext = Context(keyId),
            }, cancellationToken).ConfigureAwait(false);
            return new WrappedDataKey(keyId, Version, response.CiphertextBlob.ToArray());
        }
        catch (Exception e) when (Unavailable(keyId, e) is { } unavailable)
        {
            throw unavailable;
        }
    }

    public async Task<byte[]> UnwrapAsync(WrappedDataKey wrapped, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(wrapped);
        if (wrapped.KekVersion != Version)
        {
            throw new KeyUnavailableException(wrapped.KeyId, wrapped.KekVersion, "AWS KMS keys have a single version (1) in this lake");
        }

        try
        {
            using var blob = new MemoryStream(wrapped.Ciphertext.ToArray());
            var response = await kms.DecryptAsync(new DecryptRequest
            {
                KeyId = Alias(wrapped.KeyId),
                CiphertextBlob = blob,
                EncryptionContext = Context(wrapped.KeyId),
            }, cancellationToken).ConfigureAwait(false);
            return response.Plaintext.ToArray();
        }
        catch (Exception e) when (e is InvalidCiphertextException or IncorrectKeyException)
        {
            throw new System.Security.Cryptography.CryptographicException(
                $"AWS KMS refused to unwrap the data key under '{wrapped.KeyId}' ({e.GetType().Name}).", e);
        }
        catch (Exception e) when (Unavailable(wrapped.KeyId, e) is { } unavailable)
        {
            throw unavailable;
        }
    }

    public async Task<KeyInfo> CreateKeyAsync(string keyId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keyId);
        try
        {
            await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = Alias(keyId) }, cancellationToken).ConfigureAwait(false);
            return Info(keyId);
        }
        catch (NotFoundException)
        {
            // Not there yet: create it below.
        }

        var created = await kms.CreateKeyAsync(new CreateKeyRequest
        {
            Description = $"Fhirhouse lake key-encryption key '{keyId}'",
            KeySpec = KeySpec.SYMMETRIC_DEFAULT,
            KeyUsage = KeyUsageType.ENCRYPT_DECRYPT,
        }, cancellationToken).ConfigureAwait(false);
        await kms.CreateAliasAsync(new CreateAliasRequest { AliasName = Alias(keyId), TargetKeyId = created.KeyMetadata.KeyId }, cancellationToken)
            .ConfigureAwait(false);
        return Info(keyId);
    }

    public async Task<KeyInfo> RotateAsync(string keyId, CancellationToken cancellationToken = default)
    {
        try
        {
            await kms.RotateKeyOnDemandAsync(new RotateKeyOnDemandRequest { KeyId = Alias(keyId) }, cancellationToken).ConfigureAwait(false);
            return Info(keyId);
        }
        catch (Exception e) when (Unavailable(keyId, e) is { } unavailable)
        {
            throw unavailable;
        }
    }

    public async Task<IReadOnlyList<KeyInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        var keys = new List<KeyInfo>();
        var request = new ListAliasesRequest();
        var prefix = "alias/" + aliasPrefix;
        do
        {
            var response = await kms.ListAliasesAsync(request, cancellationToken).ConfigureAwait(false);
            foreach (var alias in response.Aliases ?? [])
            {
                if (alias.AliasName.StartsWith(prefix, StringComparison.Ordinal) && alias.TargetKeyId is not null)
                {
                    keys.Add(Info(alias.AliasName[prefix.Length..]));
                }
            }

            request.Marker = response.Truncated == true ? response.NextMarker : null;
        }
        while (request.Marker is not null);

        keys.Sort(static (a, b) => string.CompareOrdinal(a.KeyId, b.KeyId));
        return keys;
    }

    public Task RetireVersionAsync(string keyId, int version, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException(
            $"AWS KMS keeps every key material version of '{keyId}' and has no per-version retirement; destroy the whole key instead.");

    public async Task DestroyKeyAsync(string keyId, CancellationToken cancellationToken = default)
    {
        try
        {
            var key = await kms.DescribeKeyAsync(new DescribeKeyRequest { KeyId = Alias(keyId) }, cancellationToken).ConfigureAwait(false);
            await kms.ScheduleKeyDeletionAsync(new ScheduleKeyDeletionRequest { KeyId = key.KeyMetadata.KeyId, PendingWindowInDays = 7 }, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (NotFoundException)
        {
            // Already gone: destruction is idempotent.
        }
        finally
        {
            KeyRemovals.Announce(Name, keyId, null);
        }
    }

    private static KeyInfo Info(string keyId) => new(keyId, Version, [Version]);

    private static Dictionary<string, string> Context(string keyId) => new(StringComparer.Ordinal) { [ContextKey] = keyId };

    private string Alias(string keyId) => $"alias/{aliasPrefix}{keyId}";

    private static KeyUnavailableException? Unavailable(string keyId, Exception e) => e switch
    {
        NotFoundException => new KeyUnavailableException(keyId, null, "no such key in AWS KMS"),
        KMSInvalidStateException => new KeyUnavailableException(keyId, null, $"the AWS KMS key is not usable (pending deletion or deleted): {e.Message}"),
        DisabledException => new KeyUnavailableException(keyId, null, "the AWS KMS key is disabled"),
        Kms.KeyUnavailableException => new KeyUnavailableException(keyId, null, "AWS KMS reports the key unavailable", isTransient: true),
        _ => null,
    };
}
