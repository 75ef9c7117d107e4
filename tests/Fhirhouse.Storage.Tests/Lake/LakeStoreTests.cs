using System.Text.Json;
using Fhirhouse.Storage.Encryption;
using Fhirhouse.Storage.Keys.Keyring;
using Fhirhouse.Storage.Lake;
using Fhirhouse.Storage.Local;
using Fhirhouse.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Fhirhouse.Storage.Tests.Lake;

public sealed class LakeStoreTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly LocalKeyring _keyring;

    public LakeStoreTests() =>
        _keyring = LocalKeyring.OpenOrCreate(Path.Combine(_folder.Path, "keys", "keyring.json"), Path.Combine(_folder.Path, "keys", "master.key")).Keyring;

    public void Dispose() => _folder.Dispose();

    private string LakeUri => "file://" + Path.Combine(_folder.Path, "lake");

    [Theory]
    [InlineData("file:///data/lake", "file", "/data/lake", null)]
    [InlineData("s3://bucket/some/prefix/", "s3", "some/prefix", "bucket")]
    [InlineData("s3://bucket", "s3", "", "bucket")]
    public void Lake_uris_are_parsed(string uri, string scheme, string path, string? bucket)
    {
        Assert.Equal(new LakeLocation(scheme, path, bucket), LakeLocation.Parse(uri));
    }

    [Theory]
    [InlineData("http://host/lake")]
    [InlineData("s3:///prefix")]
    [InlineData("file://relative")]
    public void Unsupported_lake_uris_are_refused_naming_the_accepted_forms(string uri)
    {
        var error = Assert.Throws<ArgumentException>(() => LakeLocation.Parse(uri));
        Assert.Contains(uri, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_lake_is_envelope_encrypted_and_records_it_in_its_metadata()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
        var lake = await LakeStore.OpenAsync(new LakeOptions { Uri = LakeUri, KeyProvider = _keyring, Time = time });
        await lake.Objects.PutAsync("t/_delta_log/00000000000000000000.json", "{\"commitInfo\":{}}"u8.ToArray());

        Assert.IsType<EncryptedObjectStore>(lake.Objects);
        var recorded = JsonSerializer.Deserialize<LakeMetadata>(await File.ReadAllBytesAsync(Path.Combine(_folder.Path, "lake", "_fhirhouse", "lake.json")))!;
        Assert.Equal(new LakeMetadata("fhirhouse-lake/1", "envelope", "keyring", null, time.GetUtcNow()), recorded);
        var stored = await File.ReadAllBytesAsync(Path.Combine(_folder.Path, "lake", "t", "_delta_log", "00000000000000000000.json"));
        Assert.Equal("FHLE"u8.ToArray(), stored[..4]);

        var reopened = await LakeStore.OpenAsync(new LakeOptions { Uri = LakeUri, KeyProvider = _keyring });
        Assert.Equal("{\"commitInfo\":{}}"u8.ToArray(), await reopened.Objects.ReadAllBytesAsync("t/_delta_log/00000000000000000000.json"));
        Assert.Equal(["t/_delta_log/00000000000000000000.json"], await reopened.Objects.ListAsync("").Select(o => o.Key).ToListAsync());
    }

    [Fact]
    public async Task Options_that_contradict_the_recorded_mode_or_lack_what_it_needs_are_refused()
    {
        await LakeStore.OpenAsync(new LakeOptions { Uri = LakeUri, KeyProvider = _keyring });

        var mode = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            LakeStore.OpenAsync(new LakeOptions { Uri = LakeUri, KeyProvider = _keyring, Encryption = LakeEncryption.SseKms, SseKmsKeyId = "k" }));
        Assert.Contains("recorded as 'envelope'", mode.Message, StringComparison.Ordinal);
        var noKeys = await Assert.ThrowsAsync<InvalidOperationException>(() => LakeStore.OpenAsync(new LakeOptions { Uri = LakeUri }));
        Assert.Contains("key provider is required", noKeys.Message, StringComparison.Ordinal);
        var sseLocal = await Assert.ThrowsAsync<InvalidOperationException>(() => LakeStore.OpenAsync(new LakeOptions
        {
            Uri = "file://" + Path.Combine(_folder.Path, "other"),
            Encryption = LakeEncryption.SseKms,
            SseKmsKeyId = "alias/lake",
        }));
        Assert.Contains("needs an s3:// lake", sseLocal.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_folder.Path, "other", "_fhirhouse", "lake.json")));
    }

    [Fact]
    public void The_default_keyring_is_created_once_and_then_reopened()
    {
        var keyring = Path.Combine(_folder.Path, "k2", "keyring.json");
        var master = Path.Combine(_folder.Path, "k2", "master.key");

        var first = LocalKeyring.OpenOrCreate(keyring, master);
        var second = LocalKeyring.OpenOrCreate(keyring, master);
        File.Delete(master);

        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(master, first.MasterKeyPath);
        var error = Assert.Throws<KeyringAccessException>(() => LocalKeyring.OpenOrCreate(keyring, master));
        Assert.Contains("not found", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(master));
    }

    [Fact]
    public async Task Verify_reports_tampered_and_unreadable_objects_by_key()
    {
        var lake = await LakeStore.OpenAsync(new LakeOptions { Uri = LakeUri, KeyProvider = _keyring });
        var scoped = new EncryptedObjectStore(lake.Stored, _keyring, new EncryptedObjectStoreOptions
        {
            KeyScopes = Fhirhouse.Storage.Keys.PrefixKeyScopeResolver.Single("patient-p9"),
        });
        await lake.Objects.PutAsync("t/good.parquet", new byte[100_000]);
        await lake.Objects.PutAsync("t/flipped.parquet", new byte[100_000]);
        await lake.Objects.PutAsync("t/cut.parquet", new byte[100_000]);
        await scoped.PutAsync("raw/p9.ndjson", "{}"u8.ToArray());
        var plain = (LocalObjectStore)lake.Stored;
        var flipped = await File.ReadAllBytesAsync(plain.PathOf("t/flipped.parquet"));
        flipped[70_000] ^= 1;
        await File.WriteAllBytesAsync(plain.PathOf("t/flipped.parquet"), flipped);
        var cut = await File.ReadAllBytesAsync(plain.PathOf("t/cut.parquet"));
        await File.WriteAllBytesAsync(plain.PathOf("t/cut.parquet"), cut[..^5]);
        await _keyring.DestroyKeyAsync("patient-p9");

        var report = await LakeVerifier.VerifyAsync(lake);

        Assert.Equal(4, report.ObjectsChecked);
        Assert.False(report.IsClean);
        Assert.Equal(
            [("raw/p9.ndjson", ObjectProblemKind.KeyUnavailable), ("t/cut.parquet", ObjectProblemKind.Tampered), ("t/flipped.parquet", ObjectProblemKind.Tampered)],
            report.Problems.Select(p => (p.Key, p.Kind)).ToArray());
        Assert.Contains("patient-p9", report.Problems[0].Message, StringComparison.Ordinal);
        Assert.True((await LakeVerifier.VerifyAsync(lake, "t/good")).IsClean);
    }
}
