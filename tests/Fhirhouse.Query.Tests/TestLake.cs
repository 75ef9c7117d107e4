using Fhirhouse.Storage;
using Fhirhouse.Storage.Encryption;
using Fhirhouse.Storage.Keys.Keyring;
using Fhirhouse.Storage.Local;
using Fhirhouse.Testing;

namespace Fhirhouse.Query.Tests;

/// <summary>A temp lake folder, read plain or through envelope encryption (keyring beside it).</summary>
internal sealed class TestLake : IDisposable
{
    private readonly TempFolder _folder = new();

    public TestLake(bool encrypted)
    {
        LakePath = Path.Combine(_folder.Path, "lake");
        Plain = new LocalObjectStore(LakePath);
        Store = encrypted
            ? new EncryptedObjectStore(Plain, LocalKeyring.Create(Path.Combine(_folder.Path, "keys", "keyring.json"), MasterKey.CreateKeyFile(Path.Combine(_folder.Path, "keys", "master.key"))))
            : Plain;
    }

    public string Root => _folder.Path;

    public string LakePath { get; }

    public LocalObjectStore Plain { get; }

    public IObjectStore Store { get; }

    public void Dispose() => _folder.Dispose();
}
