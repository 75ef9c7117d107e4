using Fhirhouse.Storage;

namespace Fhirhouse.Ingest.Tests;

/// <summary>Fault injection: a store that fails every write after the first <c>writesBeforeCrash</c>, as a process killed mid-run would.</summary>
internal sealed class FaultyStore(IObjectStore inner, int writesBeforeCrash) : IObjectStore
{
    private int _writes;

    private void Tick()
    {
        if (Interlocked.Increment(ref _writes) > writesBeforeCrash)
        {
            throw new IOException("injected crash");
        }
    }

    public IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, CancellationToken cancellationToken = default) => inner.ListAsync(prefix, cancellationToken);

    public Task<ObjectInfo?> GetInfoAsync(string key, CancellationToken cancellationToken = default) => inner.GetInfoAsync(key, cancellationToken);

    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default) => inner.OpenReadAsync(key, cancellationToken);

    public Task<int> ReadRangeAsync(string key, long offset, Memory<byte> destination, CancellationToken cancellationToken = default) => inner.ReadRangeAsync(key, offset, destination, cancellationToken);

    public Task PutAsync(string key, Stream content, CancellationToken cancellationToken = default)
    {
        Tick();
        return inner.PutAsync(key, content, cancellationToken);
    }

    public Task<bool> PutIfAbsentAsync(string key, Stream content, CancellationToken cancellationToken = default)
    {
        Tick();
        return inner.PutIfAbsentAsync(key, content, cancellationToken);
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, cancellationToken);
}
