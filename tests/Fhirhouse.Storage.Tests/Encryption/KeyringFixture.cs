using Fhirhouse.Storage.Encryption;
using Fhirhouse.Storage.Keys;
using Fhirhouse.Storage.Keys.Keyring;
using Fhirhouse.Storage.Local;
using Fhirhouse.Testing;

namespace Fhirhouse.Storage.Tests.Encryption;

/// <summary>A lake folder with a keyring (random master key file) beside it, and an encrypted store over the folder.</summary>
internal sealed class KeyringFixture : IDisposable
{
    private readonly TempFolder _folder = new();

    public KeyringFixture(IKeyScopeResolver? scopes = null)
    {
        LakePath = Path.Combine(_folder.Path, "lake");
        KeyFile = Path.Combine(_folder.Path, "keys", "master.key");
        KeyringPath = Path.Combine(_folder.Path, "keys", "keyring.json");
        Plain = new LocalObjectStore(LakePath);
        Keyring = LocalKeyring.Create(KeyringPath, MasterKey.CreateKeyFile(KeyFile));
        Store = new EncryptedObjectStore(Plain, Keyring, scopes is null ? null : new EncryptedObjectStoreOptions { KeyScopes = scopes });
    }

    public string Root => _folder.Path;

    public string LakePath { get; }

    public string KeyFile { get; }

    public string KeyringPath { get; }

    public LocalObjectStore Plain { get; }

    public LocalKeyring Keyring { get; }

    public EncryptedObjectStore Store { get; }

    public string FileOf(string key) => Plain.PathOf(key);

    public void Dispose() => _folder.Dispose();
}
