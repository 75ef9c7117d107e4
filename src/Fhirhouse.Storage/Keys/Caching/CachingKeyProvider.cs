namespace Fhirhouse.Storage.Keys.Caching;

/// <summary>
/// Wraps any <see cref="IKeyProvider"/> with a bounded cache of unwrapped data keys (<see cref="DataKeyCacheOptions"/>):
/// the provider is asked once per wrapped data key within the time limit, not once per object opened (with a KMS or an
/// HSM, a network call or a token call each). Only successful unwraps are cached, by KEK id, version and wrapped bytes;
/// keys are zeroed when they expire, are evicted or the cache is disposed. A key destroyed or a version retired in this
/// process (through this wrapper or through any provider of this library) is dropped from every cache at once; one
/// destroyed by another process stops being served at the latest <see cref="DataKeyCacheOptions.TimeToLive"/> later.
/// </summary>
public sealed class CachingKeyProvider : IKeyProvider, IDisposable
{
    private readonly IKeyProvider _inner;
    private readonly DataKeyCache _cache;

    public CachingKeyProvider(IKeyProvider inner, DataKeyCacheOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        options ??= new DataKeyCacheOptions();
        options.Validate();
        _inner = inner;
        _cache = new DataKeyCache(options.MaxEntries, options.TimeToLive, options.Time ?? TimeProvider.System, inner.Name);
    }

    /// <summary>The provider asked on a cache miss.</summary>
    public IKeyProvider Inner => _inner;

    /// <summary>How many data keys are held now.</summary>
    public int CachedKeys => _cache.Count;

    /// <summary>The wrapped provider's name: the lake metadata records the provider, not the cache.</summary>
    public string Name => _inner.Name;

    public Task<WrappedDataKey> WrapAsync(string keyId, ReadOnlyMemory<byte> dataKey, CancellationToken cancellationToken = default) =>
        _inner.WrapAsync(keyId, dataKey, cancellationToken);

    public async Task<byte[]> UnwrapAsync(WrappedDataKey wrapped, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(wrapped);
        if (_cache.TryGet(wrapped, out var cached))
        {
            return cached;
        }

        var epoch = _cache.Epoch;
        var dataKey = await _inner.UnwrapAsync(wrapped, cancellationToken).ConfigureAwait(false);
        _cache.Add(wrapped, dataKey.ToArray(), epoch);
        return dataKey;
    }

    public Task<KeyInfo> CreateKeyAsync(string keyId, CancellationToken cancellationToken = default) =>
        _inner.CreateKeyAsync(keyId, cancellationToken);

    /// <summary>Rotation keeps every older version unwrapping to the same data keys, so nothing cached goes stale.</summary>
    public Task<KeyInfo> RotateAsync(string keyId, CancellationToken cancellationToken = default) =>
        _inner.RotateAsync(keyId, cancellationToken);

    public Task<IReadOnlyList<KeyInfo>> ListAsync(CancellationToken cancellationToken = default) =>
        _inner.ListAsync(cancellationToken);

    public async Task RetireVersionAsync(string keyId, int version, CancellationToken cancellationToken = default)
    {
        try
        {
            await _inner.RetireVersionAsync(keyId, version, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            KeyRemovals.Announce(_inner.Name, keyId, version);
        }
    }

    public async Task DestroyKeyAsync(string keyId, CancellationToken cancellationToken = default)
    {
        try
        {
            await _inner.DestroyKeyAsync(keyId, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            KeyRemovals.Announce(_inner.Name, keyId, null);
        }
    }

    /// <summary>Zeroes and drops every cached key; unwrapping afterwards throws <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose() => _cache.Dispose();
}
