using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Fhirhouse.Storage.Heads;
using Fhirhouse.Storage.Keys;
using Fhirhouse.Storage.Keys.Caching;

namespace Fhirhouse.Storage.Encryption;

/// <summary>
/// Envelope encryption over any <see cref="IObjectStore"/>: each object is AES-256-GCM encrypted in 64 KiB segments
/// under its own random data key, wrapped by a key-encryption key of an <see cref="IKeyProvider"/>
/// (format in docs/encryption.md). Listings and sizes are of the plaintext; reads decrypt only the segments they touch;
/// anything that does not authenticate throws <see cref="TamperedObjectException"/> naming the object.
/// Keys under <see cref="ReservedPrefix"/> belong to the lake itself and are not reachable through this store.
/// Unwrapped data keys are cached (<see cref="EncryptedObjectStoreOptions.DataKeyCache"/>); disposing the store zeroes them.
/// </summary>
public sealed class EncryptedObjectStore : IObjectStore, ITableHeadStore, IDisposable
{
    /// <summary>Objects of the lake itself (its plaintext metadata), outside the encrypted key space.</summary>
    public const string ReservedPrefix = "_fhirhouse/";

    private readonly IObjectStore _inner;
    private readonly IKeyProvider _keys;
    private readonly EncryptedObjectStoreOptions _options;
    private readonly CachingKeyProvider? _ownCache;
    private readonly TableHeadRecords? _heads;

    public EncryptedObjectStore(IObjectStore inner, IKeyProvider keys, EncryptedObjectStoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(keys);
        _inner = inner;
        _options = options ?? new EncryptedObjectStoreOptions();
        if (keys is not CachingKeyProvider && _options.DataKeyCache is { } cache)
        {
            _ownCache = new CachingKeyProvider(keys, cache);
        }

        _keys = _ownCache ?? keys;
        _heads = _options.LakeId is null ? null : new TableHeadRecords(this, headsComplete: !_options.AcceptObjectsWithoutLakeId);
    }

    /// <summary>True for a lake's store (one with a lake id): its Delta tables keep head records.</summary>
    public bool KeepsTableHeads => _heads is not null;

    bool ITableHeadStore.HeadsComplete => _heads?.HeadsComplete ?? true;

    Task<TableHead?> ITableHeadStore.ReadHeadAsync(string tablePath, CancellationToken cancellationToken) =>
        _heads?.ReadHeadAsync(tablePath, cancellationToken) ?? Task.FromResult<TableHead?>(null);

    Task ITableHeadStore.RecordHeadAsync(string tablePath, TableHead head, CancellationToken cancellationToken) =>
        _heads?.RecordHeadAsync(tablePath, head, cancellationToken) ?? Task.CompletedTask;

    IAsyncEnumerable<string> ITableHeadStore.ListTablesWithHeadsAsync(CancellationToken cancellationToken) =>
        _heads?.ListTablesWithHeadsAsync(cancellationToken) ?? AsyncEnumerable.Empty<string>();

    /// <summary>The store holding the ciphertext.</summary>
    public IObjectStore Inner => _inner;

    /// <summary>
    /// The provider of the key-encryption keys, behind the store's data-key cache when it has one: destroy and retire
    /// keys through it (or through the provider itself: both drop what the cache holds of them).
    /// </summary>
    public IKeyProvider KeyProvider => _keys;

    /// <summary>Zeroes the data keys the store's own cache holds; a cache given to the store is its owner's to dispose.</summary>
    public void Dispose() => _ownCache?.Dispose();

    public async IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var info in _inner.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            if (!IsReserved(info.Key))
            {
                yield return Plaintext(info);
            }
        }
    }

    public async Task<ObjectInfo?> GetInfoAsync(string key, CancellationToken cancellationToken = default)
    {
        RejectReserved(key);
        var info = await _inner.GetInfoAsync(key, cancellationToken).ConfigureAwait(false);
        return info is null ? null : Plaintext(info);
    }

    public async Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        RejectReserved(key);
        var ciphertext = await _inner.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
        try
        {
            if (!EnvelopeFormat.TryPlaintextLength(ciphertext.Length, out var length))
            {
                throw new TamperedObjectException(key, $"its stored size {ciphertext.Length} is not the size of any encrypted object (truncated or extended)");
            }

            var header = new byte[EnvelopeFormat.HeaderSize];
            ciphertext.Position = 0;
            await ciphertext.ReadExactlyAsync(header, cancellationToken).ConfigureAwait(false);
            var cipher = await OpenCipherAsync(key, header, cancellationToken).ConfigureAwait(false);
            var stream = new DecryptingStream(ciphertext, cipher, key, length);
            if (length == 0)
            {
                stream.Authenticate(0);
            }

            return stream;
        }
        catch
        {
            await ciphertext.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task<int> ReadRangeAsync(string key, long offset, Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        await using var stream = await OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
        if (offset >= stream.Length)
        {
            return 0;
        }

        stream.Position = offset;
        return await stream.ReadAtLeastAsync(destination, destination.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
    }

    public async Task PutAsync(string key, Stream content, CancellationToken cancellationToken = default)
    {
        await using var encrypted = await EncryptAsync(key, content, cancellationToken).ConfigureAwait(false);
        await _inner.PutAsync(key, encrypted, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> PutIfAbsentAsync(string key, Stream content, CancellationToken cancellationToken = default)
    {
        await using var encrypted = await EncryptAsync(key, content, cancellationToken).ConfigureAwait(false);
        return await _inner.PutIfAbsentAsync(key, encrypted, cancellationToken).ConfigureAwait(false);
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        RejectReserved(key);
        return _inner.DeleteAsync(key, cancellationToken);
    }

    /// <summary>
    /// Reads and authenticates every segment of the object (header, data key, all segments, length), returning nothing;
    /// throws <see cref="TamperedObjectException"/> or <see cref="KeyUnavailableException"/> naming it.
    /// </summary>
    public async Task VerifyAsync(string key, CancellationToken cancellationToken = default)
    {
        await using var stream = await OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
        var sink = new byte[EnvelopeFormat.SegmentSize];
        while (await stream.ReadAsync(sink, cancellationToken).ConfigureAwait(false) > 0)
        {
        }
    }

    /// <summary>
    /// Re-wraps the data key of every object under <paramref name="prefix"/> whose KEK version is not its key's current
    /// version: only the 512-byte header changes, the encrypted segments are copied as they are. Returns how many objects
    /// were rewritten. Run it from one process while no other writes the same objects.
    /// </summary>
    public async Task<int> RewrapAsync(string prefix = "", CancellationToken cancellationToken = default)
    {
        var current = (await _keys.ListAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(k => k.KeyId, k => k.CurrentVersion, StringComparer.Ordinal);
        return await RewriteHeadersAsync(prefix, current, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Gives this store's lake id to every object under <paramref name="prefix"/> whose header names none
    /// (<c>fhirhouse lake upgrade</c>): only the header changes, its data key stays wrapped as it was. Returns how many
    /// objects were rewritten; repeating it after an interruption rewrites only the rest.
    /// </summary>
    public Task<int> AssignLakeIdAsync(string prefix = "", CancellationToken cancellationToken = default)
    {
        if (_options.LakeId is null)
        {
            throw new InvalidOperationException("This encrypted store has no lake id to give its objects.");
        }

        return RewriteHeadersAsync(prefix, null, cancellationToken);
    }

    private async Task<int> RewriteHeadersAsync(string prefix, Dictionary<string, int>? current, CancellationToken cancellationToken)
    {
        var rewritten = 0;
        await foreach (var info in _inner.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            if (IsReserved(info.Key))
            {
                continue;
            }

            if (await RewriteHeaderAsync(info.Key, current, cancellationToken).ConfigureAwait(false))
            {
                rewritten++;
            }
        }

        return rewritten;
    }

    /// <summary>Which KEK versions the objects under <paramref name="prefix"/> use (read from their headers), ordered by key and version.</summary>
    public async Task<IReadOnlyList<KeyUsage>> GetKeyUsageAsync(string prefix = "", CancellationToken cancellationToken = default)
    {
        var counts = new SortedDictionary<(string KeyId, int Version), long>(Comparer<(string, int)>.Create(
            static (a, b) => string.CompareOrdinal(a.Item1, b.Item1) is var c and not 0 ? c : a.Item2.CompareTo(b.Item2)));
        await foreach (var info in _inner.ListAsync(prefix, cancellationToken).ConfigureAwait(false))
        {
            if (IsReserved(info.Key))
            {
                continue;
            }

            var parsed = EnvelopeHeader.Parse(info.Key, await ReadHeaderAsync(info.Key, cancellationToken).ConfigureAwait(false));
            var slot = (parsed.Wrapped.KeyId, parsed.Wrapped.KekVersion);
            counts[slot] = counts.GetValueOrDefault(slot) + 1;
        }

        return counts.Select(c => new KeyUsage(c.Key.KeyId, c.Key.Version, c.Value)).ToList();
    }

    /// <summary>
    /// Retires every non-current KEK version that no object of this store uses any more (run <see cref="RewrapAsync"/>
    /// first). Returns the versions retired.
    /// </summary>
    public async Task<IReadOnlyList<KeyUsage>> RetireUnusedKeyVersionsAsync(CancellationToken cancellationToken = default)
    {
        var used = (await GetKeyUsageAsync("", cancellationToken).ConfigureAwait(false)).Select(u => (u.KeyId, u.KekVersion)).ToHashSet();
        var retired = new List<KeyUsage>();
        foreach (var key in await _keys.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var version in key.Versions)
            {
                if (version != key.CurrentVersion && !used.Contains((key.KeyId, version)))
                {
                    await _keys.RetireVersionAsync(key.KeyId, version, cancellationToken).ConfigureAwait(false);
                    retired.Add(new KeyUsage(key.KeyId, version, 0));
                }
            }
        }

        return retired;
    }

    /// <summary>
    /// Rewrites one object's header: re-wrapped when <paramref name="current"/> is given and its KEK version is not
    /// current; given the lake id when it is null and the header names no lake. Header and body come from one open stream.
    /// </summary>
    private async Task<bool> RewriteHeaderAsync(string key, Dictionary<string, int>? current, CancellationToken cancellationToken)
    {
        await using var body = await _inner.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
        if (body.Length < EnvelopeFormat.HeaderSize)
        {
            throw new TamperedObjectException(key, $"only {body.Length} bytes, shorter than the {EnvelopeFormat.HeaderSize}-byte header");
        }

        var header = new byte[EnvelopeFormat.HeaderSize];
        await body.ReadExactlyAsync(header, cancellationToken).ConfigureAwait(false);
        var parsed = EnvelopeHeader.Parse(key, header);
        var rewrap = current is not null && current.TryGetValue(parsed.Wrapped.KeyId, out var version) && version != parsed.Wrapped.KekVersion;
        var giveLakeId = current is null && _options.LakeId is not null && !parsed.HasLakeId;
        if (!rewrap && !giveLakeId)
        {
            return false;
        }

        var dataKey = await UnwrapAsync(key, parsed.Wrapped, cancellationToken).ConfigureAwait(false);
        var (segmentKey, macKey) = EnvelopeFormat.DeriveKeys(dataKey);
        byte[] newHeader;
        try
        {
            if (!EnvelopeHeader.MacMatches(header, key, macKey))
            {
                throw new TamperedObjectException(key, "header authentication failed");
            }

            CheckLake(key, parsed);
            var wrapped = rewrap ? await _keys.WrapAsync(parsed.Wrapped.KeyId, dataKey, cancellationToken).ConfigureAwait(false) : parsed.Wrapped;
            newHeader = (parsed with { Wrapped = wrapped, LakeId = giveLakeId ? _options.LakeId! : parsed.LakeId }).Write(key, macKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
            CryptographicOperations.ZeroMemory(segmentKey);
            CryptographicOperations.ZeroMemory(macKey);
        }

        await using var replaced = new HeaderSwapStream(newHeader, body);
        await _inner.PutAsync(key, replaced, cancellationToken).ConfigureAwait(false);
        return true;
    }

    internal static bool IsReserved(string key) => key.StartsWith(ReservedPrefix, StringComparison.Ordinal);

    private static void RejectReserved(string key)
    {
        ObjectKey.Validate(key);
        if (IsReserved(key))
        {
            throw new ArgumentException($"Object key '{key}' is under '{ReservedPrefix}', which the lake keeps for its own metadata.", nameof(key));
        }
    }

    private static ObjectInfo Plaintext(ObjectInfo info) =>
        EnvelopeFormat.TryPlaintextLength(info.Size, out var length)
            ? info with { Size = length }
            : throw new TamperedObjectException(info.Key, $"its stored size {info.Size} is not the size of any encrypted object (truncated or extended)");

    private async Task<byte[]> ReadHeaderAsync(string key, CancellationToken cancellationToken)
    {
        var header = new byte[EnvelopeFormat.HeaderSize];
        var n = await _inner.ReadRangeAsync(key, 0, header, cancellationToken).ConfigureAwait(false);
        return n == header.Length
            ? header
            : throw new TamperedObjectException(key, $"only {n} bytes, shorter than the {EnvelopeFormat.HeaderSize}-byte header");
    }

    private async Task<SegmentCipher> OpenCipherAsync(string key, byte[] header, CancellationToken cancellationToken)
    {
        var parsed = EnvelopeHeader.Parse(key, header);
        var dataKey = await UnwrapAsync(key, parsed.Wrapped, cancellationToken).ConfigureAwait(false);
        var (segmentKey, macKey) = EnvelopeFormat.DeriveKeys(dataKey);
        try
        {
            if (!EnvelopeHeader.MacMatches(header, key, macKey))
            {
                throw new TamperedObjectException(key, "header authentication failed (header altered, or object copied from another key)");
            }

            CheckLake(key, parsed);
            return new SegmentCipher(segmentKey, parsed.NoncePrefix.Span, EnvelopeHeader.SegmentAssociatedData(header, key));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
            CryptographicOperations.ZeroMemory(segmentKey);
            CryptographicOperations.ZeroMemory(macKey);
        }
    }

    /// <summary>Refuses an authenticated object that belongs to another lake, or to none while this store is a lake's.</summary>
    private void CheckLake(string key, EnvelopeHeader header)
    {
        if (_options.LakeId is not { } lakeId || header.LakeId.Span.SequenceEqual(lakeId))
        {
            return;
        }

        if (!header.HasLakeId)
        {
            if (_options.AcceptObjectsWithoutLakeId)
            {
                return;
            }

            throw new TamperedObjectException(key,
                "its header names no lake: written before this lake had an id (run 'fhirhouse lake upgrade' once) or copied in from a lake that has none");
        }

        throw new TamperedObjectException(key, $"it belongs to another lake (lake id {Convert.ToHexStringLower(header.LakeId.Span)}, this lake is {Convert.ToHexStringLower(lakeId)}): copied in from another lake under the same key");
    }

    private async Task<byte[]> UnwrapAsync(string key, WrappedDataKey wrapped, CancellationToken cancellationToken)
    {
        try
        {
            var dataKey = await _keys.UnwrapAsync(wrapped, cancellationToken).ConfigureAwait(false);
            return dataKey.Length == EnvelopeFormat.DataKeySize
                ? dataKey
                : throw new TamperedObjectException(key, $"the unwrapped data key has {dataKey.Length} bytes, not {EnvelopeFormat.DataKeySize}");
        }
        catch (KeyUnavailableException e)
        {
            throw e.ForObject(key);
        }
        catch (CryptographicException e)
        {
            throw new TamperedObjectException(key, $"its data key does not unwrap under key '{wrapped.KeyId}' version {wrapped.KekVersion}", e);
        }
    }

    private async Task<EncryptingStream> EncryptAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        RejectReserved(key);
        ArgumentNullException.ThrowIfNull(content);
        var keyId = _options.KeyScopes.KeyIdFor(key);
        var dataKey = new byte[EnvelopeFormat.DataKeySize];
        var noncePrefix = new byte[EnvelopeFormat.NoncePrefixSize];
        _options.Random.GetBytes(dataKey);
        _options.Random.GetBytes(noncePrefix);
        var (segmentKey, macKey) = EnvelopeFormat.DeriveKeys(dataKey);
        try
        {
            var wrapped = await WrapAsync(keyId, dataKey, cancellationToken).ConfigureAwait(false);
            var header = new EnvelopeHeader(noncePrefix, wrapped, _options.LakeId ?? []).Write(key, macKey);
            var cipher = new SegmentCipher(segmentKey, noncePrefix, EnvelopeHeader.SegmentAssociatedData(header, key));
            return new EncryptingStream(content, header, cipher);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
            CryptographicOperations.ZeroMemory(segmentKey);
            CryptographicOperations.ZeroMemory(macKey);
        }
    }

    private async Task<WrappedDataKey> WrapAsync(string keyId, byte[] dataKey, CancellationToken cancellationToken)
    {
        try
        {
            return await _keys.WrapAsync(keyId, dataKey, cancellationToken).ConfigureAwait(false);
        }
        catch (KeyUnavailableException) when (_options.CreateMissingKeys)
        {
            await _keys.CreateKeyAsync(keyId, cancellationToken).ConfigureAwait(false);
            return await _keys.WrapAsync(keyId, dataKey, cancellationToken).ConfigureAwait(false);
        }
    }
}
