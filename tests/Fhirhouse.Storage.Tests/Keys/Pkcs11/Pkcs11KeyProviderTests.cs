using System.Security.Cryptography;
using Fhirhouse.Storage.Encryption;
using Fhirhouse.Storage.Keys;
using Fhirhouse.Storage.Keys.Pkcs11;
using Fhirhouse.Storage.Local;
using Fhirhouse.Testing;

namespace Fhirhouse.Storage.Tests.Keys.Pkcs11;

[Collection(nameof(SoftHsmCollection))]
public sealed class Pkcs11KeyProviderTests(SoftHsmToken token) : IDisposable
{
    private readonly Pkcs11KeyProvider _hsm = new(token.Options);
    private readonly string _scope = "k" + Guid.NewGuid().ToString("N")[..8];

    public void Dispose() => _hsm.Dispose();

    [Fact]
    public async Task A_data_key_wrapped_in_the_token_unwraps_to_the_same_bytes()
    {
        await _hsm.CreateKeyAsync(_scope);
        var dataKey = RandomNumberGenerator.GetBytes(32);

        var wrapped = await _hsm.WrapAsync(_scope, dataKey);

        Assert.Equal(1, wrapped.KekVersion);
        Assert.Equal(12 + 32 + 16, wrapped.Ciphertext.Length);
        Assert.Equal(dataKey, await _hsm.UnwrapAsync(wrapped));
    }

    [Fact]
    public async Task A_tampered_wrapped_key_is_a_cryptographic_failure()
    {
        await _hsm.CreateKeyAsync(_scope);
        var wrapped = await _hsm.WrapAsync(_scope, RandomNumberGenerator.GetBytes(32));
        var bytes = wrapped.Ciphertext.ToArray();
        bytes[20] ^= 1;

        await Assert.ThrowsAnyAsync<CryptographicException>(() => _hsm.UnwrapAsync(wrapped with { Ciphertext = bytes }));
    }

    [Fact]
    public async Task Rotation_retirement_and_destruction_act_on_token_objects()
    {
        await _hsm.CreateKeyAsync(_scope);
        var v1 = await _hsm.WrapAsync(_scope, new byte[32]);
        var rotated = await _hsm.RotateAsync(_scope);
        var v2 = await _hsm.WrapAsync(_scope, new byte[32]);
        Assert.Equal(new[] { 1, 2 }, rotated.Versions);
        Assert.Equal(2, v2.KekVersion);
        Assert.Contains(await _hsm.ListAsync(), k => k.KeyId == _scope && k.CurrentVersion == 2);

        await _hsm.RetireVersionAsync(_scope, 1);
        var retired = await Assert.ThrowsAsync<KeyUnavailableException>(() => _hsm.UnwrapAsync(v1));
        Assert.Equal((int?)1, retired.KekVersion);
        Assert.Equal(new byte[32], await _hsm.UnwrapAsync(v2));

        await _hsm.DestroyKeyAsync(_scope);
        var destroyed = await Assert.ThrowsAsync<KeyUnavailableException>(() => _hsm.UnwrapAsync(v2));
        Assert.Equal(_scope, destroyed.KeyId);
        Assert.Contains("destroyed", destroyed.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(await _hsm.ListAsync(), k => k.KeyId == _scope);

        var recreated = await _hsm.CreateKeyAsync(_scope);
        Assert.Equal(3, recreated.CurrentVersion);
        var still = await Assert.ThrowsAsync<KeyUnavailableException>(() => _hsm.UnwrapAsync(v2));
        Assert.Contains("destroyed", still.Message, StringComparison.Ordinal);
        await _hsm.DestroyKeyAsync(_scope);
    }

    [Fact]
    public async Task The_encrypted_store_runs_on_the_hsm_and_reports_tampering_by_object()
    {
        using var folder = new TempFolder();
        var store = new EncryptedObjectStore(new LocalObjectStore(folder.Path), _hsm,
            new EncryptedObjectStoreOptions { KeyScopes = PrefixKeyScopeResolver.Single(_scope) });
        var data = RandomNumberGenerator.GetBytes(150_000);
        await store.PutAsync("t/a.parquet", data);
        Assert.Equal(data, await store.ReadAllBytesAsync("t/a.parquet"));

        var path = Path.Combine(folder.Path, "t", "a.parquet");
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[60] ^= 1;
        await File.WriteAllBytesAsync(path, bytes);

        var error = await Assert.ThrowsAsync<TamperedObjectException>(() => store.ReadAllBytesAsync("t/a.parquet"));
        Assert.Equal("t/a.parquet", error.Key);
    }

    [Fact]
    public async Task Rotating_the_hsm_key_then_rewrapping_lets_the_old_version_be_destroyed()
    {
        using var folder = new TempFolder();
        var store = new EncryptedObjectStore(new LocalObjectStore(folder.Path), _hsm,
            new EncryptedObjectStoreOptions { KeyScopes = PrefixKeyScopeResolver.Single(_scope) });
        var data = RandomNumberGenerator.GetBytes(100_000);
        await store.PutAsync("t/a", data);

        await _hsm.RotateAsync(_scope);
        Assert.Equal(1, await store.RewrapAsync());
        var retired = await store.RetireUnusedKeyVersionsAsync();

        Assert.Contains(new KeyUsage(_scope, 1, 0), retired);
        Assert.Equal([2], (await _hsm.ListAsync()).Single(k => k.KeyId == _scope).Versions);
        Assert.Equal(data, await store.ReadAllBytesAsync("t/a"));
        await _hsm.DestroyKeyAsync(_scope);
    }
}
