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
        Assert.Equal(new LakeMetadata("fhirhouse-lake/1", "envelope", "keyring", null, time.GetUtcNow()), recorded with { LakeId = null });
        Assert.Matches("^[0-9a-f]{32}$", recorded.LakeId);
        Assert.False(recorded.UpgradePending);
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

    [Fact]
    public async Task An_object_copied_in_from_another_lake_under_the_same_keyring_fails_naming_it_and_both_lakes()
    {
        using var mine = await LakeStore.OpenAsync(new LakeOptions { Uri = LakeUri, KeyProvider = _keyring });
        using var other = await LakeStore.OpenAsync(new LakeOptions { Uri = "file://" + Path.Combine(_folder.Path, "other"), KeyProvider = _keyring });
        await other.Objects.PutAsync("tables/t/part-0.parquet", "theirs"u8.ToArray());
        Directory.CreateDirectory(Path.Combine(_folder.Path, "lake", "tables", "t"));
        File.Copy(Path.Combine(_folder.Path, "other", "tables", "t", "part-0.parquet"), Path.Combine(_folder.Path, "lake", "tables", "t", "part-0.parquet"));

        var error = await Assert.ThrowsAsync<TamperedObjectException>(() => mine.Objects.ReadAllBytesAsync("tables/t/part-0.parquet"));
        Assert.Equal("tables/t/part-0.parquet", error.Key);
        Assert.Contains($"belongs to another lake (lake id {other.Metadata.LakeId}, this lake is {mine.Metadata.LakeId})", error.Message, StringComparison.Ordinal);
        var verified = await LakeVerifier.VerifyAsync(mine);
        Assert.Equal("tables/t/part-0.parquet", Assert.Single(verified.Problems).Key);
    }

    [Fact]
    public async Task A_lake_from_before_lake_ids_is_refused_until_upgraded_and_the_upgrade_rewrites_headers_only()
    {
        // A lake as an older version wrote it: metadata without an id, objects whose headers name no lake.
        var root = Path.Combine(_folder.Path, "lake");
        using (var created = await LakeStore.OpenAsync(new LakeOptions { Uri = LakeUri, KeyProvider = _keyring }))
        {
            var old = created.Metadata with { LakeId = null };
            await File.WriteAllBytesAsync(Path.Combine(root, "_fhirhouse", "lake.json"), JsonSerializer.SerializeToUtf8Bytes(old));
        }

        var legacy = new EncryptedObjectStore(new LocalObjectStore(root), _keyring);
        await legacy.PutAsync("raw/payloads/ab/one.ndjson", "one"u8.ToArray());
        await legacy.PutAsync("tables/t/part-0.parquet", new byte[100_000]);
        var segmentsBefore = (await File.ReadAllBytesAsync(Path.Combine(root, "tables", "t", "part-0.parquet")))[512..];

        var refused = await Assert.ThrowsAsync<LakeUpgradeRequiredException>(() => LakeStore.OpenAsync(new LakeOptions { Uri = LakeUri, KeyProvider = _keyring }));
        Assert.Contains("run 'fhirhouse lake upgrade", refused.Message, StringComparison.Ordinal);

        using (var upgrading = await LakeStore.OpenAsync(new LakeOptions { Uri = LakeUri, KeyProvider = _keyring, ForUpgrade = true }))
        {
            Assert.True(upgrading.Metadata.UpgradePending);
            await Assert.ThrowsAsync<LakeUpgradeRequiredException>(() => LakeStore.OpenAsync(new LakeOptions { Uri = LakeUri, KeyProvider = _keyring }));
            Assert.Equal(2, await upgrading.Encrypted!.AssignLakeIdAsync());
            Assert.Equal(0, await upgrading.Encrypted!.AssignLakeIdAsync());
            await upgrading.CompleteUpgradeAsync();
        }

        using var upgraded = await LakeStore.OpenAsync(new LakeOptions { Uri = LakeUri, KeyProvider = _keyring });
        Assert.Equal("one"u8.ToArray(), await upgraded.Objects.ReadAllBytesAsync("raw/payloads/ab/one.ndjson"));
        Assert.Equal(segmentsBefore, (await File.ReadAllBytesAsync(Path.Combine(root, "tables", "t", "part-0.parquet")))[512..]);
        Assert.Empty((await LakeVerifier.VerifyAsync(upgraded)).Problems);

        // After the upgrade an object without the id is one copied in from an old lake: refused.
        await legacy.PutAsync("tables/t/part-1.parquet", "late"u8.ToArray());
        var late = await Assert.ThrowsAsync<TamperedObjectException>(() => upgraded.Objects.ReadAllBytesAsync("tables/t/part-1.parquet"));
        Assert.Contains("names no lake", late.Message, StringComparison.Ordinal);
    }
}
