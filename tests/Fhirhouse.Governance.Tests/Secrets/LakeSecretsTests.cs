using Fhirhouse.Governance.Secrets;
using Fhirhouse.Storage;
using Fhirhouse.Storage.Encryption;
using Fhirhouse.Storage.Keys;
using Fhirhouse.Storage.Keys.Keyring;
using Fhirhouse.Storage.Local;
using Fhirhouse.Testing;

namespace Fhirhouse.Governance.Tests.Secrets;

public sealed class LakeSecretsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private (IObjectStore Store, LocalKeyring Keys) NewLake(string name)
    {
        var keys = LocalKeyring.Create(Path.Combine(_folder.Path, name, "keyring.json"), MasterKey.CreateKeyFile(Path.Combine(_folder.Path, name, "master.key")));
        return (new EncryptedObjectStore(new LocalObjectStore(Path.Combine(_folder.Path, name, "lake")), keys), keys);
    }

    [Fact]
    public async Task The_secret_is_made_once_per_lake_and_its_purpose_keys_are_stable_and_distinct()
    {
        var (store, keys) = NewLake("a");
        var first = await LakeSecrets.OpenAsync(store, keys);
        var again = await LakeSecrets.OpenAsync(store, keys);
        var (otherStore, otherKeys) = NewLake("b");
        var other = await LakeSecrets.OpenAsync(otherStore, otherKeys);

        Assert.Equal(first.Derive("research-pseudonym"), again.Derive("research-pseudonym"));
        Assert.NotEqual(first.Derive("research-pseudonym"), first.Derive("erasure-subject"));
        Assert.NotEqual(first.Derive("research-pseudonym"), other.Derive("research-pseudonym"));
        Assert.Equal(32, first.Derive("x").Length);
    }

    [Fact]
    public async Task The_stored_secret_is_wrapped_and_another_keyring_cannot_unwrap_it()
    {
        var (store, keys) = NewLake("a");
        await LakeSecrets.OpenAsync(store, keys);
        var (_, otherKeys) = NewLake("b");

        await Assert.ThrowsAsync<KeyUnavailableException>(() => LakeSecrets.OpenAsync(store, otherKeys));
        Assert.Contains(await keys.ListAsync(), k => k.KeyId == LakeSecrets.KeyId);
    }
}
