namespace Fhirhouse.Storage.Keys;

/// <summary>A data key encrypted under version <see cref="KekVersion"/> of the key-encryption key <see cref="KeyId"/>.</summary>
public sealed record WrappedDataKey(string KeyId, int KekVersion, ReadOnlyMemory<byte> Ciphertext);
