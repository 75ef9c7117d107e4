namespace Fhirhouse.Storage.Keys;

/// <summary>
/// Holds key-encryption keys (KEKs), versioned, and wraps or unwraps data keys under them; the KEKs never leave it in clear.
/// Implementations: the local keyring file, a PKCS#11 token, AWS KMS.
/// </summary>
public interface IKeyProvider
{
    /// <summary>A short name for messages and the lake metadata ("keyring", "pkcs11", "aws-kms").</summary>
    string Name { get; }

    /// <summary>
    /// Wraps <paramref name="dataKey"/> under the current version of <paramref name="keyId"/>.
    /// Throws <see cref="KeyUnavailableException"/> when the key does not exist (or was destroyed).
    /// </summary>
    Task<WrappedDataKey> WrapAsync(string keyId, ReadOnlyMemory<byte> dataKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// Unwraps a data key. Throws <see cref="KeyUnavailableException"/> when the KEK version is missing, retired or destroyed,
    /// and <see cref="System.Security.Cryptography.CryptographicException"/> when the wrapped bytes do not authenticate.
    /// </summary>
    Task<byte[]> UnwrapAsync(WrappedDataKey wrapped, CancellationToken cancellationToken = default);

    /// <summary>Creates <paramref name="keyId"/> with version 1; returns the existing key unchanged when it already exists.</summary>
    Task<KeyInfo> CreateKeyAsync(string keyId, CancellationToken cancellationToken = default);

    /// <summary>Adds a new version of <paramref name="keyId"/> and makes it current; older versions still unwrap.</summary>
    Task<KeyInfo> RotateAsync(string keyId, CancellationToken cancellationToken = default);

    /// <summary>Every key the provider holds, ordered by id.</summary>
    Task<IReadOnlyList<KeyInfo>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Destroys one non-current version; data keys wrapped under it can no longer be unwrapped.</summary>
    Task RetireVersionAsync(string keyId, int version, CancellationToken cancellationToken = default);

    /// <summary>Destroys every version of <paramref name="keyId"/> (crypto-shredding): everything under it becomes unreadable.</summary>
    Task DestroyKeyAsync(string keyId, CancellationToken cancellationToken = default);
}
