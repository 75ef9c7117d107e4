using Fhirhouse.Storage;
using Fhirhouse.Storage.Local;
using Fhirhouse.Storage.Plaintext;

namespace Fhirhouse.Query.Tables;

/// <summary>
/// Paths DuckDB opens data files by: the file itself in a plaintext local store; otherwise the object decrypted into
/// an anonymous memory file (<see cref="PlaintextFileCache"/>, <c>/proc/self/fd/N</c>), so no plaintext reaches a disk.
/// </summary>
internal sealed class PlaintextFiles : IDisposable
{
    private readonly LocalObjectStore? _local;
    private readonly PlaintextFileCache? _cache;

    public PlaintextFiles(IObjectStore store, long cacheBytes)
    {
        _local = store as LocalObjectStore;
        _cache = _local is null ? new PlaintextFileCache(store, cacheBytes) : null;
    }

    /// <summary>Decryptions so far (0 for a plaintext local store).</summary>
    public long Decryptions => _cache?.Decryptions ?? 0;

    /// <summary>The path of <paramref name="key"/>'s plaintext, with the lease that keeps it valid (null when it is a plain file).</summary>
    public async Task<(string Path, IDisposable? Lease)> OpenAsync(string key, CancellationToken cancellationToken)
    {
        if (_local is not null)
        {
            return (_local.PathOf(key), null);
        }

        var lease = await _cache!.OpenAsync(key, cancellationToken).ConfigureAwait(false);
        return (lease.Path, lease);
    }

    public void Dispose() => _cache?.Dispose();
}
