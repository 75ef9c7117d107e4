using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;

namespace Fhirhouse.Storage.Keys.Caching;

/// <summary>
/// Unwrapped data keys by wrapped key (KEK id, KEK version, wrapped bytes): at most <c>maxEntries</c>, least recently used
/// evicted first, each expiring <c>timeToLive</c> after its unwrap; a key leaving the cache is zeroed. Thread-safe.
/// Invalidation bumps an epoch so that an unwrap which raced with it is not stored (<see cref="Add"/>).
/// </summary>
internal sealed class DataKeyCache : IDisposable
{
    private readonly int _maxEntries;
    private readonly TimeSpan _timeToLive;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, CachedDataKey> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<CachedDataKey> _recency = new();
    private readonly LinkedList<CachedDataKey> _age = new();
    private long _epoch;
    private bool _disposed;

    /// <summary>A cache of the data keys <paramref name="provider"/> (a key provider's <see cref="IKeyProvider.Name"/>) unwraps: removals announced for that provider reach it.</summary>
    public DataKeyCache(int maxEntries, TimeSpan timeToLive, TimeProvider time, string provider = "")
    {
        Provider = provider;
        _maxEntries = maxEntries;
        _timeToLive = timeToLive;
        _time = time;
        KeyRemovals.Register(this);
    }

    /// <summary>The kind of key provider whose keys it holds (removals are announced per kind).</summary>
    public string Provider { get; }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Changes on every invalidation; read it before asking the provider and hand it to <see cref="Add"/>.</summary>
    public long Epoch
    {
        get
        {
            lock (_gate)
            {
                return _epoch;
            }
        }
    }

    /// <summary>A copy of the cached data key of <paramref name="wrapped"/> (the caller owns and zeroes it), when present and not expired.</summary>
    public bool TryGet(WrappedDataKey wrapped, [NotNullWhen(true)] out byte[]? dataKey)
    {
        var id = IdOf(wrapped);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            RemoveExpired();
            if (_entries.TryGetValue(id, out var entry))
            {
                _recency.Remove(entry.Recency);
                _recency.AddFirst(entry.Recency);
                dataKey = entry.DataKey.ToArray();
                return true;
            }
        }

        dataKey = null;
        return false;
    }

    /// <summary>
    /// Stores <paramref name="dataKey"/> (the cache takes it over and zeroes it when it leaves) unless an invalidation
    /// happened since <paramref name="epoch"/> was read, in which case it is zeroed at once.
    /// </summary>
    public void Add(WrappedDataKey wrapped, byte[] dataKey, long epoch)
    {
        var id = IdOf(wrapped);
        lock (_gate)
        {
            if (_disposed || epoch != _epoch)
            {
                CryptographicOperations.ZeroMemory(dataKey);
                return;
            }

            if (_entries.TryGetValue(id, out var existing))
            {
                Remove(existing);
            }

            var entry = new CachedDataKey(id, wrapped.KeyId, wrapped.KekVersion, dataKey, _time.GetTimestamp());
            _entries.Add(id, entry);
            _recency.AddFirst(entry.Recency);
            _age.AddLast(entry.Age);
            RemoveExpired();
            while (_entries.Count > _maxEntries)
            {
                Remove(_recency.Last!.Value);
            }
        }
    }

    /// <summary>Drops every key wrapped under <paramref name="keyId"/> (only under <paramref name="version"/> when given).</summary>
    public void Invalidate(string keyId, int? version)
    {
        lock (_gate)
        {
            _epoch++;
            var node = _age.First;
            while (node is not null)
            {
                var next = node.Next;
                if (node.Value.KeyId == keyId && (version is null || node.Value.KekVersion == version))
                {
                    Remove(node.Value);
                }

                node = next;
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _epoch++;
            while (_age.First is { } oldest)
            {
                Remove(oldest.Value);
            }
        }

        KeyRemovals.Unregister(this);
    }

    /// <summary>The cache key; injective: the version and the base64 bytes hold no line break, so the last two fields split off unambiguously.</summary>
    private static string IdOf(WrappedDataKey wrapped) =>
        string.Create(CultureInfo.InvariantCulture, $"{wrapped.KeyId}\n{wrapped.KekVersion}\n{Convert.ToBase64String(wrapped.Ciphertext.Span)}");

    /// <summary>Entries expire in the order they were unwrapped: only the oldest ones need looking at.</summary>
    private void RemoveExpired()
    {
        while (_age.First is { } oldest && _time.GetElapsedTime(oldest.Value.UnwrappedAt) >= _timeToLive)
        {
            Remove(oldest.Value);
        }
    }

    private void Remove(CachedDataKey entry)
    {
        _entries.Remove(entry.Id);
        _recency.Remove(entry.Recency);
        _age.Remove(entry.Age);
        CryptographicOperations.ZeroMemory(entry.DataKey);
    }
}
