namespace Fhirhouse.Storage.Plaintext;

/// <summary>
/// The decrypting read path for engines that open files by path (DuckDB): objects are decrypted into anonymous memory
/// files (memfd), never onto a disk, and kept in a least-recently-used cache bounded by <c>capacityBytes</c>. Leased
/// files are never evicted; while every cached file is leased the cache may exceed its bound until leases end. A cached
/// file is served only while the object's size and modification time are those it was decrypted from.
/// </summary>
public sealed class PlaintextFileCache : IDisposable
{
    private readonly IObjectStore _store;
    private readonly long _capacity;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, CachedPlaintextFile> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _recency = new();
    private long _bytes;
    private bool _disposed;

    /// <summary>A cache over <paramref name="store"/> (an encrypted store: what it returns is plaintext) holding at most <paramref name="capacityBytes"/>.</summary>
    public PlaintextFileCache(IObjectStore store, long capacityBytes)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacityBytes);
        _store = store;
        _capacity = capacityBytes;
    }

    /// <summary>Bytes of plaintext held in memory now.</summary>
    public long CachedBytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    /// <summary>Objects decrypted so far (cache misses).</summary>
    public long Decryptions { get; private set; }

    /// <summary>Leases the plaintext of <paramref name="key"/>, decrypting it into memory on a miss.</summary>
    public async Task<PlaintextFileLease> OpenAsync(string key, CancellationToken cancellationToken = default)
    {
        var info = await _store.GetInfoAsync(key, cancellationToken).ConfigureAwait(false) ?? throw new ObjectNotFoundException(key);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_entries.TryGetValue(key, out var hit))
            {
                if (hit.Version == info)
                {
                    return Lease(hit);
                }

                Remove(hit);
            }
        }

        await using var plaintext = await _store.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
        var file = await MemoryFile.CreateAsync(plaintext, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            if (_disposed)
            {
                file.Dispose();
                throw new ObjectDisposedException(nameof(PlaintextFileCache));
            }

            Decryptions++;
            if (_entries.TryGetValue(key, out var raced))
            {
                if (raced.Version == info)
                {
                    file.Dispose();
                    return Lease(raced);
                }

                Remove(raced);
            }

            var entry = new CachedPlaintextFile(key, info, file, _recency.AddFirst(key));
            _entries[key] = entry;
            _bytes += file.Length;
            var lease = Lease(entry);
            Evict();
            return lease;
        }
    }

    /// <summary>Drops the cached plaintext of <paramref name="key"/> (after the object changed); leases already given stay valid until disposed.</summary>
    public void Invalidate(string key)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var entry))
            {
                Remove(entry);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            foreach (var entry in _entries.Values.ToList())
            {
                Remove(entry);
            }
        }
    }

    private PlaintextFileLease Lease(CachedPlaintextFile entry)
    {
        entry.Leases++;
        _recency.Remove(entry.Node);
        _recency.AddFirst(entry.Node);
        return new PlaintextFileLease(entry.Key, entry.File.Path, entry.File.Length, () => Release(entry));
    }

    private void Release(CachedPlaintextFile entry)
    {
        lock (_gate)
        {
            entry.Leases--;
            if (entry.Detached)
            {
                if (entry.Leases == 0)
                {
                    entry.File.Dispose();
                }

                return;
            }

            Evict();
        }
    }

    private void Evict()
    {
        var node = _recency.Last;
        while (_bytes > _capacity && node is not null)
        {
            var previous = node.Previous;
            var entry = _entries[node.Value];
            if (entry.Leases == 0)
            {
                Remove(entry);
            }

            node = previous;
        }
    }

    /// <summary>Takes the entry out of the cache; its memory file closes now, or when its last lease ends.</summary>
    private void Remove(CachedPlaintextFile entry)
    {
        _entries.Remove(entry.Key);
        _recency.Remove(entry.Node);
        _bytes -= entry.File.Length;
        entry.Detached = true;
        if (entry.Leases == 0)
        {
            entry.File.Dispose();
        }
    }
}
