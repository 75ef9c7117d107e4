using Fhirhouse.Errors;

namespace Fhirhouse.Storage.Keys.Keyring;

/// <summary>
/// The keyring at <see cref="Path"/> cannot be opened or created as asked (wrong passphrase or master key, unsafe file
/// permissions, missing or malformed file). <see cref="FhirhouseException.Kind"/> is <see cref="ErrorKind.Usage"/> when
/// the file named does not exist or already exists, <see cref="ErrorKind.Data"/> when it is malformed or altered,
/// <see cref="ErrorKind.AccessDenied"/> otherwise.
/// </summary>
public sealed class KeyringAccessException : FhirhouseException
{
    public KeyringAccessException(string path, string reason, Exception? inner = null, ErrorKind kind = ErrorKind.AccessDenied, bool isTransient = false)
        : base(ErrorCodes.KeyringAccess, kind, $"Keyring '{path}': {reason}", inner, isTransient) => Path = path;

    public string Path { get; }
}
