namespace Fhirhouse.Storage.Keys.Caching;

/// <summary>One unwrapped data key held by a <see cref="DataKeyCache"/>, on its recency and age lists.</summary>
internal sealed class CachedDataKey
{
    public CachedDataKey(string id, string keyId, int kekVersion, byte[] dataKey, long unwrappedAt)
    {
        Id = id;
        KeyId = keyId;
        KekVersion = kekVersion;
        DataKey = dataKey;
        UnwrappedAt = unwrappedAt;
        Recency = new LinkedListNode<CachedDataKey>(this);
        Age = new LinkedListNode<CachedDataKey>(this);
    }

    /// <summary>The cache key: the KEK id, its version and the wrapped bytes.</summary>
    public string Id { get; }

    public string KeyId { get; }

    public int KekVersion { get; }

    /// <summary>The plaintext data key, owned by the cache and zeroed when the entry leaves it.</summary>
    public byte[] DataKey { get; }

    /// <summary>The <see cref="TimeProvider.GetTimestamp"/> of the unwrap.</summary>
    public long UnwrappedAt { get; }

    public LinkedListNode<CachedDataKey> Recency { get; }

    public LinkedListNode<CachedDataKey> Age { get; }
}
