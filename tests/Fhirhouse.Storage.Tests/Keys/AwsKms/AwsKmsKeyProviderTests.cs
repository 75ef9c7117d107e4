using System.Security.Cryptography;
using Fhirhouse.Storage.Encryption;
using Fhirhouse.Storage.Keys;
using Fhirhouse.Storage.Keys.AwsKms;
using Fhirhouse.Storage.Local;
using Fhirhouse.Testing;

namespace Fhirhouse.Storage.Tests.Keys.AwsKms;

public sealed class AwsKmsKeyProviderTests : IDisposable
{
    private readonly FakeKms _fake = new();
    private readonly Amazon.KeyManagementService.AmazonKeyManagementServiceClient _client;
    private readonly AwsKmsKeyProvider _kms;

    public AwsKmsKeyProviderTests()
    {
        _client = _fake.Client();
        _kms = new AwsKmsKeyProvider(_client);
    }

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task Create_makes_a_symmetric_key_behind_the_lake_alias()
    {
        var info = await _kms.CreateKeyAsync("lake");

        Assert.Equal(new[] { "DescribeKey", "CreateKey", "CreateAlias" }, _fake.Calls.Select(c => c.Target));
        var create = _fake.Calls.Single(c => c.Target == "CreateKey").Body;
        Assert.Equal("SYMMETRIC_DEFAULT", create["KeySpec"]!.GetValue<string>());
        Assert.Equal("ENCRYPT_DECRYPT", create["KeyUsage"]!.GetValue<string>());
        Assert.Equal("alias/fhirhouse-lake", _fake.Calls.Single(c => c.Target == "CreateAlias").Body["AliasName"]!.GetValue<string>());
        Assert.Equal(("lake", 1), (info.KeyId, info.CurrentVersion));
        Assert.Equal(["lake"], (await _kms.ListAsync()).Select(k => k.KeyId));
    }

    [Fact]
    public async Task Wrap_and_unwrap_call_encrypt_and_decrypt_with_the_alias_and_an_encryption_context()
    {
        await _kms.CreateKeyAsync("lake");
        var dataKey = RandomNumberGenerator.GetBytes(32);

        var wrapped = await _kms.WrapAsync("lake", dataKey);
        var unwrapped = await _kms.UnwrapAsync(wrapped);

        Assert.Equal(dataKey, unwrapped);
        var encrypt = _fake.Calls.Single(c => c.Target == "Encrypt").Body;
        Assert.Equal("alias/fhirhouse-lake", encrypt["KeyId"]!.GetValue<string>());
        Assert.Equal(Convert.ToBase64String(dataKey), encrypt["Plaintext"]!.GetValue<string>());
        Assert.Equal("lake", encrypt["EncryptionContext"]!["fhirhouse:key-id"]!.GetValue<string>());
        var decrypt = _fake.Calls.Single(c => c.Target == "Decrypt").Body;
        Assert.Equal("alias/fhirhouse-lake", decrypt["KeyId"]!.GetValue<string>());
        Assert.Equal("lake", decrypt["EncryptionContext"]!["fhirhouse:key-id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_blob_kms_rejects_is_a_cryptographic_failure_and_the_store_calls_it_tampering()
    {
        using var folder = new TempFolder();
        var store = new EncryptedObjectStore(new LocalObjectStore(folder.Path), _kms);
        await store.PutAsync("t/a", "rows"u8.ToArray());
        Assert.Equal("rows"u8.ToArray(), await store.ReadAllBytesAsync("t/a"));

        var path = Path.Combine(folder.Path, "t", "a");
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[26] ^= 1;
        await File.WriteAllBytesAsync(path, bytes);
        var tampered = await Assert.ThrowsAsync<TamperedObjectException>(() => store.ReadAllBytesAsync("t/a"));
        Assert.Equal("t/a", tampered.Key);

        var wrapped = await _kms.WrapAsync("lake", new byte[32]);
        await Assert.ThrowsAnyAsync<CryptographicException>(() => _kms.UnwrapAsync(wrapped with { KeyId = "other" }));
        await _kms.CreateKeyAsync("other");
        await Assert.ThrowsAnyAsync<CryptographicException>(() => _kms.UnwrapAsync(wrapped with { KeyId = "other" }));
    }

    [Fact]
    public async Task A_destroyed_key_makes_its_objects_unreadable_naming_the_key()
    {
        using var folder = new TempFolder();
        var store = new EncryptedObjectStore(new LocalObjectStore(folder.Path), _kms,
            new EncryptedObjectStoreOptions { KeyScopes = new PrefixKeyScopeResolver("lake", [new KeyScopeRule("raw/", "batch-{segment}")]) });
        await store.PutAsync("raw/b1/x.ndjson", "payload"u8.ToArray());

        await _kms.DestroyKeyAsync("batch-b1");

        var schedule = _fake.Calls.Single(c => c.Target == "ScheduleKeyDeletion").Body;
        Assert.Equal(7, schedule["PendingWindowInDays"]!.GetValue<int>());
        var error = await Assert.ThrowsAsync<KeyUnavailableException>(() => store.ReadAllBytesAsync("raw/b1/x.ndjson"));
        Assert.Equal("batch-b1", error.KeyId);
        Assert.Equal("raw/b1/x.ndjson", error.ObjectKey);
    }

    [Fact]
    public async Task Rotation_is_done_by_kms_and_per_version_retirement_is_refused_with_a_reason()
    {
        await _kms.CreateKeyAsync("lake");

        var info = await _kms.RotateAsync("lake");

        Assert.Equal("alias/fhirhouse-lake", _fake.Calls.Single(c => c.Target == "RotateKeyOnDemand").Body["KeyId"]!.GetValue<string>());
        Assert.Equal(1, info.CurrentVersion);
        var error = await Assert.ThrowsAsync<NotSupportedException>(() => _kms.RetireVersionAsync("lake", 1));
        Assert.Contains("destroy the whole key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrapping_under_a_missing_key_names_it()
    {
        var error = await Assert.ThrowsAsync<KeyUnavailableException>(() => _kms.WrapAsync("nope", new byte[32]));
        Assert.Equal("nope", error.KeyId);
    }
}
