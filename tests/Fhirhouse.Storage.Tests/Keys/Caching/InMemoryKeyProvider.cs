using System.Security.Cryptography;
using System.Text;
using Fhirhouse.Storage.Keys;

namespace Fhirhouse.Storage.Tests.Keys.Caching;

/// <summary>
/// A provider outside this library (it announces nothing to the caches): KEKs in a dictionary, data keys wrapped with
/// AES-GCM. Shows that destroying through a <c>CachingKeyProvider</c> drops what it cached for any provider.
/// </summary>
internal sealed class InMemoryKeyProvider : IKeyProvider
{
    private readonly Dictionary<(string, int), byte[]> _keks = [];
    private readonly Dictionary<string, int> _current = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public string Name => "in-memory";

    public Task<WrappedDataKey> WrapAsync(string keyId, ReadOnlyMemory<byte> dataKey, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_current.TryGetValue(keyId, out var version))
            {
                throw new KeyUnavailableException(keyId, null, "it does not exist");
            }

            var nonce = RandomNumberGenerator.GetBytes(12);
            var sealedKey = new byte[12 + dataKey.Length + 16];
            using var gcm = new AesGcm(_keks[(keyId, version)], 16);
            gcm.Encrypt(nonce, dataKey.Span, sealedKey.AsSpan(12, dataKey.Length), sealedKey.AsSpan(12 + dataKey.Length), Aad(keyId, version));
            nonce.CopyTo(sealedKey, 0);
            return Task.FromResult(new WrappedDataKey(keyId, version, sealedKey));
        }
    }

    public Task<byte[]> UnwrapAsync(WrappedDataKey wrapped, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_keks.TryGetValue((wrapped.KeyId, wrapped.KekVersion), out var kek))
            {
                throw new KeyUnavailableException(wrapped.KeyId, wrapped.KekVersion, "it was destroyed");
            }

            var bytes = wrapped.Ciphertext.Span;
            var dataKey = new byte[bytes.Length - 28];
            using var gcm = new AesGcm(kek, 16);
            gcm.Decrypt(bytes[..12], bytes[12..^16], bytes[^16..], dataKey, Aad(wrapped.KeyId, wrapped.KekVersion));
            return Task.FromResult(dataKey);
        }
    }

    public Task<KeyInfo> CreateKeyAsync(string keyId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_current.ContainsKey(keyId))
            {
                _current[keyId] = 1;
                _keks[(keyId, 1)] = RandomNumberGenerator.GetBytes(32);
            }

            return Task.FromResult(Info(keyId));
        }
    }

    public Task<KeyInfo> RotateAsync(string keyId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<KeyInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<KeyInfo>>([.. _current.Keys.Order(StringComparer.Ordinal).Select(Info)]);
        }
    }

    public Task RetireVersionAsync(string keyId, int version, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task DestroyKeyAsync(string keyId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _current.Remove(keyId);
            foreach (var slot in _keks.Keys.Where(k => k.Item1 == keyId).ToList())
            {
                _keks.Remove(slot);
            }

            return Task.CompletedTask;
        }
    }

    private static byte[] Aad(string keyId, int version) => Encoding.UTF8.GetBytes($"test|{keyId}|{version}");

    private KeyInfo Info(string keyId) => new(keyId, _current[keyId], [_current[keyId]]);
}
