namespace Fhirhouse.Storage.Keys.Keyring;

/// <summary>The keyring at <see cref="Path"/> cannot be opened or created as asked (wrong passphrase or master key, unsafe file permissions, missing or malformed file).</summary>
public sealed class KeyringAccessException : IOException
{
    public KeyringAccessException(string path, string reason, Exception? inner = null)
        : base($"Keyring '{path}': {reason}", inner) => Path = path;

    public string Path { get; }
}
