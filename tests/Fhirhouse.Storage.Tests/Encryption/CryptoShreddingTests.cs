using Fhirhouse.Storage.Keys;

namespace Fhirhouse.Storage.Tests.Encryption;

public sealed class CryptoShreddingTests : IDisposable
{
    private readonly KeyringFixture _lake = new(new PrefixKeyScopeResolver("lake",
        [new KeyScopeRule("raw/patient=", "patient-{segment}"), new KeyScopeRule("raw/", "raw-batch-{segment}")]));

    public void Dispose() => _lake.Dispose();

    [Fact]
    public void The_resolver_picks_the_longest_prefix_and_the_next_segment()
    {
        var scopes = new PrefixKeyScopeResolver("lake", [new KeyScopeRule("raw/patient=", "patient-{segment}"), new KeyScopeRule("raw/", "raw-batch-{segment}")]);

        Assert.Equal("patient-p7", scopes.KeyIdFor("raw/patient=p7/obs.ndjson"));
        Assert.Equal("raw-batch-b42", scopes.KeyIdFor("raw/b42/file.ndjson"));
        Assert.Equal("lake", scopes.KeyIdFor("bronze/_delta_log/0.json"));
        Assert.Throws<ArgumentException>(() => scopes.KeyIdFor("raw/loose-file"));
    }

    [Fact]
    public async Task Destroying_a_scope_key_makes_only_its_objects_unreadable_naming_the_key()
    {
        await _lake.Store.PutAsync("raw/patient=p1/a.ndjson", "alice"u8.ToArray());
        await _lake.Store.PutAsync("raw/patient=p2/b.ndjson", "bob"u8.ToArray());
        await _lake.Store.PutAsync("bronze/part-0.parquet", "table"u8.ToArray());
        Assert.Equal(["lake", "patient-p1", "patient-p2"], (await _lake.Keyring.ListAsync()).Select(k => k.KeyId).ToArray());

        await _lake.Keyring.DestroyKeyAsync("patient-p1");

        var error = await Assert.ThrowsAsync<KeyUnavailableException>(() => _lake.Store.ReadAllBytesAsync("raw/patient=p1/a.ndjson"));
        Assert.Equal("patient-p1", error.KeyId);
        Assert.Equal("raw/patient=p1/a.ndjson", error.ObjectKey);
        Assert.Contains("destroyed", error.Message, StringComparison.Ordinal);
        Assert.Contains("patient-p1", error.Message, StringComparison.Ordinal);
        Assert.Equal("bob"u8.ToArray(), await _lake.Store.ReadAllBytesAsync("raw/patient=p2/b.ndjson"));
        Assert.Equal("table"u8.ToArray(), await _lake.Store.ReadAllBytesAsync("bronze/part-0.parquet"));
        Assert.DoesNotContain("patient-p1", (await _lake.Keyring.ListAsync()).Select(k => k.KeyId));
    }

    [Fact]
    public async Task New_data_for_a_shredded_scope_gets_a_new_key_version_and_old_data_stays_unreadable()
    {
        await _lake.Store.PutAsync("raw/patient=p1/a.ndjson", "before"u8.ToArray());
        await _lake.Keyring.DestroyKeyAsync("patient-p1");

        await _lake.Store.PutAsync("raw/patient=p1/c.ndjson", "after"u8.ToArray());

        Assert.Equal("after"u8.ToArray(), await _lake.Store.ReadAllBytesAsync("raw/patient=p1/c.ndjson"));
        Assert.Equal(2, (await _lake.Keyring.ListAsync()).Single(k => k.KeyId == "patient-p1").CurrentVersion);
        await Assert.ThrowsAsync<KeyUnavailableException>(() => _lake.Store.ReadAllBytesAsync("raw/patient=p1/a.ndjson"));
    }
}
