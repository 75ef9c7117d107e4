using Fhirhouse.Errors;

namespace Fhirhouse.Storage.Keys;

/// <summary>
/// The key-encryption key <see cref="KeyId"/> (at <see cref="KekVersion"/> when known) is missing, retired or destroyed,
/// so what it protects cannot be read. <see cref="ObjectKey"/> names the object being read, when there is one.
/// Transient when the key service could not be reached (the key may be there).
/// </summary>
public sealed class KeyUnavailableException : FhirhouseException
{
    public KeyUnavailableException(string keyId, int? kekVersion, string reason, string? objectKey = null, bool isTransient = false, Exception? inner = null)
        : base(ErrorCodes.KeyUnavailable, ErrorKind.AccessDenied, Describe(keyId, kekVersion, reason, objectKey), inner, isTransient)
    {
        KeyId = keyId;
        KekVersion = kekVersion;
        Reason = reason;
        ObjectKey = objectKey;
    }

    public string KeyId { get; }

    public int? KekVersion { get; }

    public string Reason { get; }

    public string? ObjectKey { get; }

    /// <summary>The same failure, naming the object that needed the key.</summary>
    public KeyUnavailableException ForObject(string objectKey) => new(KeyId, KekVersion, Reason, objectKey, IsTransient, InnerException);

    private static string Describe(string keyId, int? kekVersion, string reason, string? objectKey)
    {
        var version = kekVersion is { } v ? $" version {v}" : "";
        var target = objectKey is null ? "" : $" (needed to read object '{objectKey}')";
        return $"Key '{keyId}'{version} is unavailable: {reason}{target}.";
    }
}
