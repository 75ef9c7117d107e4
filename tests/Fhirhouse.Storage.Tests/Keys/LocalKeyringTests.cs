using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using Fhirhouse.Storage.Keys;
using Fhirhouse.Storage.Keys.Keyring;
using Fhirhouse.Testing;

namespace Fhirhouse.Storage.Tests.Keys;

[UnsupportedOSPlatform("windows")]
public sealed class LocalKeyringTests : IDisposable
{
    private static readonly Argon2Cost s_cheap = new(1024, 1, 1);
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string PathOf(string name) => Path.Combine(_folder.Path, name);

    [Fact]
    public async Task A_generated_master_key_file_and_the_keyring_are_readable_by_their_owner_only()
    {
        var keyring = LocalKeyring.Create(PathOf("keyring.json"), MasterKey.CreateKeyFile(PathOf("master.key")));
        await keyring.CreateKeyAsync("lake");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(PathOf("master.key")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(PathOf("keyring.json")));
    }

    [Fact]
    public async Task The_keyring_file_never_holds_a_kek_in_clear()
    {
        var keyring = LocalKeyring.Create(PathOf("keyring.json"), MasterKey.CreateKeyFile(PathOf("master.key")));
        await keyring.CreateKeyAsync("lake");
        var dataKey = new byte[32];
        var wrapped = await keyring.WrapAsync("lake", dataKey);

        var text = await File.ReadAllTextAsync(PathOf("keyring.json"));
        var sealedKek = Convert.FromBase64String(System.Text.Json.JsonDocument.Parse(text).RootElement
            .GetProperty("keys")[0].GetProperty("versions")[0].GetProperty("wrapped").GetString()!);
        Assert.Equal(12 + 32 + 16, sealedKek.Length);
        // The sealed KEK does not decrypt the data key: it is itself ciphertext.
        using var aes = new AesGcm(sealedKek.AsSpan(12, 32), 16);
        var ct = wrapped.Ciphertext.ToArray();
        Assert.ThrowsAny<CryptographicException>(() => aes.Decrypt(ct[..12], ct[12..44], ct[44..], new byte[32], Encoding.UTF8.GetBytes("fhirhouse-keyring/1 data key|lake|1")));
        Assert.DoesNotContain("\"key\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_master_key_file_readable_by_others_is_refused()
    {
        LocalKeyring.Create(PathOf("keyring.json"), MasterKey.CreateKeyFile(PathOf("master.key")));
        File.SetUnixFileMode(PathOf("master.key"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var error = Assert.Throws<KeyringAccessException>(() => LocalKeyring.Open(PathOf("keyring.json"), MasterKey.FromKeyFile(PathOf("master.key"))));
        Assert.Contains("chmod 600", error.Message, StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    [Fact]
    public void An_existing_master_key_file_is_never_overwritten()
    {
        MasterKey.CreateKeyFile(PathOf("master.key"));
        var before = File.ReadAllBytes(PathOf("master.key"));

        Assert.Throws<KeyringAccessException>(() => MasterKey.CreateKeyFile(PathOf("master.key")));
        Assert.Equal(before, File.ReadAllBytes(PathOf("master.key")));
    }

    [Fact]
    public async Task A_passphrase_keyring_opens_with_the_right_passphrase_and_unwraps_its_keys()
    {
        var created = LocalKeyring.Create(PathOf("keyring.json"), MasterKey.FromPassphrase("correct horse battery", s_cheap));
        await created.CreateKeyAsync("lake");
        var dataKey = RandomNumberGenerator.GetBytes(32);
        var wrapped = await created.WrapAsync("lake", dataKey);

        var reopened = LocalKeyring.Open(PathOf("keyring.json"), MasterKey.FromPassphrase("correct horse battery"));
        Assert.Equal(dataKey, await reopened.UnwrapAsync(wrapped));
        Assert.Contains("argon2id", await File.ReadAllTextAsync(PathOf("keyring.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_passphrase_is_a_clear_error_and_writes_nothing()
    {
        var keyring = LocalKeyring.Create(PathOf("keyring.json"), MasterKey.FromPassphrase("correct horse battery", s_cheap));
        await keyring.CreateKeyAsync("lake");
        var before = await File.ReadAllBytesAsync(PathOf("keyring.json"));
        var filesBefore = Directory.GetFiles(_folder.Path).Order().ToArray();

        var error = Assert.Throws<KeyringAccessException>(() => LocalKeyring.Open(PathOf("keyring.json"), MasterKey.FromPassphrase("wrong horse")));

        Assert.Contains("wrong passphrase", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(PathOf("keyring.json")));
        Assert.Equal(filesBefore, Directory.GetFiles(_folder.Path).Order().ToArray());
    }

    [Fact]
    public void A_wrong_master_key_is_a_clear_error()
    {
        LocalKeyring.Create(PathOf("keyring.json"), MasterKey.FromBytes(RandomNumberGenerator.GetBytes(32)));

        var error = Assert.Throws<KeyringAccessException>(() => LocalKeyring.Open(PathOf("keyring.json"), MasterKey.FromBytes(new byte[32])));
        Assert.Contains("wrong master key", error.Message, StringComparison.Ordinal);
        Assert.Throws<KeyringAccessException>(() => LocalKeyring.Open(PathOf("keyring.json"), MasterKey.FromPassphrase("x")));
    }

    [Fact]
    public async Task An_altered_keyring_file_is_refused()
    {
        var master = MasterKey.FromBytes(RandomNumberGenerator.GetBytes(32));
        var keyring = LocalKeyring.Create(PathOf("keyring.json"), master);
        await keyring.CreateKeyAsync("lake");
        var text = await File.ReadAllTextAsync(PathOf("keyring.json"));
        await File.WriteAllTextAsync(PathOf("keyring.json"), text.Replace("\"id\": \"lake\"", "\"id\": \"other\"", StringComparison.Ordinal));

        var error = Assert.Throws<KeyringAccessException>(() => LocalKeyring.Open(PathOf("keyring.json"), master));
        Assert.Contains("altered", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rotation_adds_a_current_version_and_old_wrapped_keys_still_unwrap()
    {
        var keyring = LocalKeyring.Create(PathOf("keyring.json"), MasterKey.FromBytes(RandomNumberGenerator.GetBytes(32)));
        await keyring.CreateKeyAsync("lake");
        var dataKey = RandomNumberGenerator.GetBytes(32);
        var old = await keyring.WrapAsync("lake", dataKey);

        var rotated = await keyring.RotateAsync("lake");
        var fresh = await keyring.WrapAsync("lake", dataKey);

        Assert.Equal(2, rotated.CurrentVersion);
        Assert.Equal([1, 2], rotated.Versions);
        Assert.Equal(1, old.KekVersion);
        Assert.Equal(2, fresh.KekVersion);
        Assert.Equal(dataKey, await keyring.UnwrapAsync(old));
        Assert.Equal(dataKey, await keyring.UnwrapAsync(fresh));
    }

    [Fact]
    public async Task A_retired_version_no_longer_unwraps_and_says_so()
    {
        var keyring = LocalKeyring.Create(PathOf("keyring.json"), MasterKey.FromBytes(RandomNumberGenerator.GetBytes(32)));
        await keyring.CreateKeyAsync("lake");
        var old = await keyring.WrapAsync("lake", new byte[32]);
        await keyring.RotateAsync("lake");

        await Assert.ThrowsAsync<InvalidOperationException>(() => keyring.RetireVersionAsync("lake", 2));
        await keyring.RetireVersionAsync("lake", 1);

        var error = await Assert.ThrowsAsync<KeyUnavailableException>(() => keyring.UnwrapAsync(old));
        Assert.Equal(("lake", (int?)1), (error.KeyId, error.KekVersion));
        Assert.Contains("retired", error.Message, StringComparison.Ordinal);
        Assert.Equal([2], Assert.Single(await keyring.ListAsync()).Versions);
    }

    [Fact]
    public async Task A_key_created_by_another_instance_is_seen_without_reopening()
    {
        var master = MasterKey.FromBytes(RandomNumberGenerator.GetBytes(32));
        var first = LocalKeyring.Create(PathOf("keyring.json"), master);
        var second = LocalKeyring.Open(PathOf("keyring.json"), master);
        await first.CreateKeyAsync("a");
        await second.CreateKeyAsync("b");

        var wrapped = await first.WrapAsync("a", new byte[32]);
        Assert.Equal(new byte[32], await second.UnwrapAsync(wrapped));
        Assert.Equal(["a", "b"], (await first.ListAsync()).Select(k => k.KeyId).ToArray());
    }

    [Fact]
    public async Task Moving_from_the_key_file_to_a_passphrase_keeps_every_kek()
    {
        var keyring = LocalKeyring.Create(PathOf("keyring.json"), MasterKey.CreateKeyFile(PathOf("master.key")));
        await keyring.CreateKeyAsync("lake");
        var dataKey = RandomNumberGenerator.GetBytes(32);
        var wrapped = await keyring.WrapAsync("lake", dataKey);

        await keyring.ChangeMasterKeyAsync(MasterKey.FromPassphrase("a long passphrase", s_cheap));

        Assert.Throws<KeyringAccessException>(() => LocalKeyring.Open(PathOf("keyring.json"), MasterKey.FromKeyFile(PathOf("master.key"))));
        var reopened = LocalKeyring.Open(PathOf("keyring.json"), MasterKey.FromPassphrase("a long passphrase"));
        Assert.Equal(dataKey, await reopened.UnwrapAsync(wrapped));
    }

    [Fact]
    public async Task An_unknown_key_is_reported_by_id()
    {
        var keyring = LocalKeyring.Create(PathOf("keyring.json"), MasterKey.FromBytes(RandomNumberGenerator.GetBytes(32)));

        var error = await Assert.ThrowsAsync<KeyUnavailableException>(() => keyring.WrapAsync("patient-x", new byte[32]));
        Assert.Equal("patient-x", error.KeyId);
        Assert.Contains("no such key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_destroyed_by_another_instance_stops_unwrapping_here_at_once()
    {
        var master = MasterKey.FromBytes(RandomNumberGenerator.GetBytes(32));
        var server = LocalKeyring.Create(PathOf("keyring.json"), master);
        await server.CreateKeyAsync("patient-p1");
        var wrapped = await server.WrapAsync("patient-p1", new byte[32]);
        Assert.Equal(new byte[32], await server.UnwrapAsync(wrapped));

        await LocalKeyring.Open(PathOf("keyring.json"), master).DestroyKeyAsync("patient-p1");

        var error = await Assert.ThrowsAsync<KeyUnavailableException>(() => server.UnwrapAsync(wrapped));
        Assert.Contains("destroyed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_change_waits_for_the_lock_another_process_holds()
    {
        var keyring = LocalKeyring.Create(PathOf("keyring.json"), MasterKey.FromBytes(RandomNumberGenerator.GetBytes(32)));
        var before = await File.ReadAllBytesAsync(PathOf("keyring.json"));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        using (new FileStream(PathOf("keyring.json.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => keyring.CreateKeyAsync("lake", cancel.Token));
        }

        Assert.Equal(before, await File.ReadAllBytesAsync(PathOf("keyring.json")));
        Assert.Equal("lake", (await keyring.CreateKeyAsync("lake")).KeyId);
    }
}
