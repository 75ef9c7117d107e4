using Fhirhouse.Storage;

namespace Fhirhouse.Delta.Tests;

/// <summary>An object store wrapper that records the prefixes listed and the objects read, to see how a table is read.</summary>
internal sealed class RecordingStore(IObjectStore inner) : IObjectStore
{
    public List<string> ListedPrefixes { get; } = [];

    /// <summary>Every object opened or read by range, once each.</summary>
    public HashSet<string> ReadKeys { get; } = new(StringComparer.Ordinal);

    private void Read(string key)
    {
        lock (ReadKeys)
        {
            ReadKeys.Add(key);
        }
    }

    public IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, CancellationToken cancellationToken = default)
    {
        lock (ListedPrefixes)
        {
            ListedPrefixes.Add(prefix);
        }

        return inner.ListAsync(prefix, cancellationToken);
    }

    public Task<ObjectInfo?> GetInfoAsync(string key, CancellationToken cancellationToken = default) => inner.GetInfoAsync(key, cancellationToken);

    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        Read(key);
        return inner.OpenReadAsync(key, cancellationToken);
    }

    public Task<int> ReadRangeAsync(string key, long offset, Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        Read(key);
        return inner.ReadRangeAsync(key, offset, destination, cancellationToken);
    }

    public Task PutAsync(string key, Stream content, CancellationToken cancellationToken = default) => inner.PutAsync(key, content, cancellationToken);

    public Task<bool> PutIfAbsentAsync(string key, Stream content, CancellationToken cancellationToken = default) => inner.PutIfAbsentAsync(key, content, cancellationToken);

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, cancellationToken);
}
