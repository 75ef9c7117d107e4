using Fhirhouse.Storage.Keys;

namespace Fhirhouse.Testing.Storage;

/// <summary>A provider that counts the unwraps it is asked for (a KMS bill, per call) and forwards everything.</summary>
internal sealed class CountingKeyProvider(IKeyProvider inner) : IKeyProvider
{
    private int _unwraps;

    public int Unwraps => Volatile.Read(ref _unwraps);

    public string Name => inner.Name;

    public Task<WrappedDataKey> WrapAsync(string keyId, ReadOnlyMemory<byte> dataKey, CancellationToken cancellationToken = default) =>
        inner.WrapAsync(keyId, dataKey, cancellationToken);

    public Task<byte[]> UnwrapAsync(WrappedDataKey wrapped, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _unwraps);
        return inner.UnwrapAsync(wrapped, cancellationToken);
    }

    public Task<KeyInfo> CreateKeyAsync(string keyId, CancellationToken cancellationToken = default) => inner.CreateKeyAsync(keyId, cancellationToken);

    public Task<KeyInfo> RotateAsync(string keyId, CancellationToken cancellationToken = default) => inner.RotateAsync(keyId, cancellationToken);

    public Task<IReadOnlyList<KeyInfo>> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);

    public Task RetireVersionAsync(string keyId, int version, CancellationToken cancellationToken = default) =>
        inner.RetireVersionAsync(keyId, version, cancellationToken);

    public Task DestroyKeyAsync(string keyId, CancellationToken cancellationToken = default) => inner.DestroyKeyAsync(keyId, cancellationToken);
}
