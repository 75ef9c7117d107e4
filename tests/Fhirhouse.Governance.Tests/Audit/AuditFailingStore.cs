using Fhirhouse.Storage;

namespace Fhirhouse.Governance.Tests.Audit;

/// <summary>A store whose writes under <c>tables/audit_log/</c> fail (a full disk, a revoked permission); everything else passes through.</summary>
internal sealed class AuditFailingStore(IObjectStore inner) : IObjectStore
{
    private const string Prefix = "tables/audit_log/";

    public int FailedWrites { get; private set; }

    public IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, CancellationToken cancellationToken = default) => inner.ListAsync(prefix, cancellationToken);

    public Task<ObjectInfo?> GetInfoAsync(string key, CancellationToken cancellationToken = default) => inner.GetInfoAsync(key, cancellationToken);

    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default) => inner.OpenReadAsync(key, cancellationToken);

    public Task<int> ReadRangeAsync(string key, long offset, Memory<byte> destination, CancellationToken cancellationToken = default) =>
        inner.ReadRangeAsync(key, offset, destination, cancellationToken);

    public Task PutAsync(string key, Stream content, CancellationToken cancellationToken = default) =>
        key.StartsWith(Prefix, StringComparison.Ordinal) ? Fail(key) : inner.PutAsync(key, content, cancellationToken);

    public Task<bool> PutIfAbsentAsync(string key, Stream content, CancellationToken cancellationToken = default) =>
        key.StartsWith(Prefix, StringComparison.Ordinal) ? Fail<bool>(key) : inner.PutIfAbsentAsync(key, content, cancellationToken);

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, cancellationToken);

    private Task Fail(string key) => Fail<bool>(key);

    private Task<T> Fail<T>(string key)
    {
        FailedWrites++;
        return Task.FromException<T>(new IOException($"No space left on device writing {key}"));
    }
}
