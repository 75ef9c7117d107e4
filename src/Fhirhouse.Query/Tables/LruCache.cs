using System.Diagnostics.CodeAnalysis;

namespace Fhirhouse.Query.Tables;

/// <summary>
/// A cache bounded by bytes (each entry's estimated size) and by entries, least recently used out first. Not
/// thread-safe: the engine uses it under its statement lock.
/// </summary>
internal sealed class LruCache<TKey, TValue>
    where TKey : notnull
{
    private readonly Dictionary<TKey, LinkedListNode<(TKey Key, TValue Value, long Size)>> _entries;
    private readonly LinkedList<(TKey Key, TValue Value, long Size)> _recency = new();
    private readonly long _capacityBytes;
    private readonly int _capacityEntries;
    private readonly Func<TKey, TValue, long> _sizeOf;

    public LruCache(long capacityBytes, int capacityEntries, Func<TKey, TValue, long> sizeOf, IEqualityComparer<TKey>? comparer = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacityBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacityEntries);
        _capacityBytes = capacityBytes;
        _capacityEntries = capacityEntries;
        _sizeOf = sizeOf;
        _entries = new Dictionary<TKey, LinkedListNode<(TKey, TValue, long)>>(comparer);
    }

    public int Count => _entries.Count;

    /// <summary>The estimated bytes held.</summary>
    public long Bytes { get; private set; }

    public bool ContainsKey(TKey key) => _entries.ContainsKey(key);

    public bool TryGet(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        if (_entries.TryGetValue(key, out var node))
        {
            _recency.Remove(node);
            _recency.AddFirst(node);
            value = node.Value.Value;
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>Adds or replaces an entry, then evicts the least recently used ones until the cache is within its bounds (an entry larger than the whole budget is not kept).</summary>
    public void Set(TKey key, TValue value)
    {
        if (_entries.Remove(key, out var known))
        {
            _recency.Remove(known);
            Bytes -= known.Value.Size;
        }

        var size = Math.Max(1, _sizeOf(key, value));
        _entries[key] = _recency.AddFirst((key, value, size));
        Bytes += size;
        while (_entries.Count > 0 && (Bytes > _capacityBytes || _entries.Count > _capacityEntries))
        {
            var last = _recency.Last!;
            _recency.RemoveLast();
            _entries.Remove(last.Value.Key);
            Bytes -= last.Value.Size;
        }
    }
}
