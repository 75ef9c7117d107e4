using System.Text.Json;
using Fhirhouse.Storage.Encryption;
using Fhirhouse.Storage.Local;
using Fhirhouse.Storage.S3;

namespace Fhirhouse.Storage.Lake;

/// <summary>
/// An opened lake: <see cref="Objects"/> is the store every room uses (encrypted for an envelope lake, SSE-KMS-checked S3
/// for an sse-kms lake); <see cref="Stored"/> is the underlying store as it holds the bytes. Disposing it zeroes the
/// data keys cached by an envelope lake's store.
/// </summary>
public sealed class LakeStore : IDisposable
{
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };

    private LakeStore(LakeLocation location, LakeMetadata metadata, IObjectStore stored, IObjectStore objects)
    {
        Location = location;
        Metadata = metadata;
        Stored = stored;
        Objects = objects;
    }

    public LakeLocation Location { get; }

    public LakeMetadata Metadata { get; }

    /// <summary>The store holding the bytes at rest (ciphertext in an envelope lake).</summary>
    public IObjectStore Stored { get; }

    /// <summary>The store to read and write the lake through.</summary>
    public IObjectStore Objects { get; }

    /// <summary>The encrypting store of an envelope lake (rotation, rewrap, verification); null for sse-kms.</summary>
    public EncryptedObjectStore? Encrypted => Objects as EncryptedObjectStore;

    public void Dispose() => Encrypted?.Dispose();

    /// <summary>
    /// Opens the lake at <see cref="LakeOptions.Uri"/>, creating its metadata on first use (envelope by default).
    /// Throws <see cref="InvalidOperationException"/> when the options contradict what the lake records or lack what its mode needs.
    /// </summary>
    public static async Task<LakeStore> OpenAsync(LakeOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var location = LakeLocation.Parse(options.Uri);
        var requestedSse = options.Encryption == LakeEncryption.SseKms ? options.SseKmsKeyId : null;
        IObjectStore stored = location.Scheme == "s3"
            ? new S3ObjectStore(options.S3Client ?? throw new InvalidOperationException($"Lake {location} is on S3: an S3 client is required."),
                location.Bucket!, location.Path)
            : new LocalObjectStore(location.Path);
        var metadata = await ReadMetadataAsync(stored, location, cancellationToken).ConfigureAwait(false);
        if (metadata is null)
        {
            var mode = options.Encryption ?? LakeEncryption.Envelope;
            metadata = new LakeMetadata(LakeMetadata.CurrentFormat, LakeMetadata.Name(mode),
                mode == LakeEncryption.Envelope ? RequireProvider(options, location).Name : null,
                mode == LakeEncryption.SseKms ? RequireSseKey(options, location) : null,
                options.Time.GetUtcNow())
            {
                LakeId = NewLakeId(options.Random),
            };
            if (mode == LakeEncryption.SseKms && location.Scheme != "s3")
            {
                throw new InvalidOperationException($"Lake {location}: the sse-kms mode needs an s3:// lake; use envelope on local disk.");
            }

            var bytes = JsonSerializer.SerializeToUtf8Bytes(metadata, s_json);
            if (!await stored.PutIfAbsentAsync(LakeMetadata.ObjectKey, bytes, cancellationToken).ConfigureAwait(false))
            {
                metadata = await ReadMetadataAsync(stored, location, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"Lake {location}: its metadata vanished while it was being created.");
            }
        }

        if ((metadata.LakeId is null || metadata.UpgradePending) && !options.ForUpgrade)
        {
            throw new LakeUpgradeRequiredException(location, metadata.UpgradePending);
        }

        if (options.ForUpgrade && metadata.LakeId is null)
        {
            metadata = metadata with { LakeId = NewLakeId(options.Random), UpgradePending = true };
            await stored.PutAsync(LakeMetadata.ObjectKey, JsonSerializer.SerializeToUtf8Bytes(metadata, s_json), cancellationToken).ConfigureAwait(false);
        }

        if (options.Encryption is { } wanted && wanted != metadata.Mode)
        {
            throw new InvalidOperationException(
                $"Lake {location} is recorded as '{metadata.Encryption}' but '{LakeMetadata.Name(wanted)}' was asked for; a lake keeps the mode it was created with.");
        }

        if (metadata.Mode == LakeEncryption.SseKms)
        {
            if (requestedSse is not null && requestedSse != metadata.SseKmsKeyId)
            {
                throw new InvalidOperationException($"Lake {location} uses SSE-KMS key '{metadata.SseKmsKeyId}', not '{requestedSse}'.");
            }

            var sse = new S3ObjectStore(options.S3Client!, location.Bucket!, location.Path, new S3ObjectStoreOptions { SseKmsKeyId = metadata.SseKmsKeyId });
            return new LakeStore(location, metadata, stored, sse);
        }

        var provider = RequireProvider(options, location);
        if (metadata.KeyProvider is { } recorded && recorded != provider.Name)
        {
            throw new InvalidOperationException(
                $"Lake {location} wraps its data keys with the '{recorded}' key provider, but '{provider.Name}' was given.");
        }

        var encrypted = new EncryptedObjectStore(stored, provider, new EncryptedObjectStoreOptions
        {
            KeyScopes = options.KeyScopes ?? new EncryptedObjectStoreOptions().KeyScopes,
            Random = options.Random,
            DataKeyCache = options.DataKeyCache is { Time: null } cache ? cache with { Time = options.Time } : options.DataKeyCache,
            LakeId = metadata.LakeIdBytes,
            AcceptObjectsWithoutLakeId = metadata.UpgradePending,
        });
        return new LakeStore(location, metadata, stored, encrypted);
    }

    /// <summary>
    /// Ends <c>fhirhouse lake upgrade</c> once every object carries the lake id and every table has its head record:
    /// the lake is then opened normally. Only for a lake opened with <see cref="LakeOptions.ForUpgrade"/>.
    /// </summary>
    public async Task CompleteUpgradeAsync(CancellationToken cancellationToken = default)
    {
        if (!Metadata.UpgradePending)
        {
            return;
        }

        var done = Metadata with { UpgradePending = false };
        await Stored.PutAsync(LakeMetadata.ObjectKey, JsonSerializer.SerializeToUtf8Bytes(done, s_json), cancellationToken).ConfigureAwait(false);
    }

    private static string NewLakeId(System.Security.Cryptography.RandomNumberGenerator random)
    {
        var id = new byte[16];
        random.GetBytes(id);
        return Convert.ToHexStringLower(id);
    }

    private static Keys.IKeyProvider RequireProvider(LakeOptions options, LakeLocation location) =>
        options.KeyProvider ?? throw new InvalidOperationException($"Lake {location} uses envelope encryption: a key provider is required.");

    private static string RequireSseKey(LakeOptions options, LakeLocation location) =>
        options.SseKmsKeyId ?? throw new InvalidOperationException($"Lake {location}: the sse-kms mode needs a KMS key id.");

    private static async Task<LakeMetadata?> ReadMetadataAsync(IObjectStore stored, LakeLocation location, CancellationToken cancellationToken)
    {
        if (!await stored.ExistsAsync(LakeMetadata.ObjectKey, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        try
        {
            var metadata = JsonSerializer.Deserialize<LakeMetadata>(await stored.ReadAllBytesAsync(LakeMetadata.ObjectKey, cancellationToken).ConfigureAwait(false), s_json);
            return metadata?.Format == LakeMetadata.CurrentFormat
                ? metadata
                : throw new InvalidOperationException($"Lake {location}: unknown metadata format '{metadata?.Format}' (expected '{LakeMetadata.CurrentFormat}').");
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"Lake {location}: {LakeMetadata.ObjectKey} is not valid JSON.", e);
        }
    }
}
