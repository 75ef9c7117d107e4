using Fhirhouse.Storage.Encryption;
using Fhirhouse.Storage.Keys;
using Fhirhouse.Storage.Keys.Caching;
using Fhirhouse.Storage.Keys.Keyring;
using Fhirhouse.Storage.Local;
using Fhirhouse.Testing;
using Fhirhouse.Testing.Storage;
using Microsoft.Extensions.Time.Testing;

namespace Fhirhouse.Storage.Tests.Keys.Caching;

public sealed class CachingKeyProviderTests : IDisposable
{
    private static readonly PrefixKeyScopeResolver s_patientScopes = new("lake", [new KeyScopeRule("raw/patient=", "patient-{segment}")]);
    private readonly TempFolder _folder = new();
    private readonly FakeTimeProvider _time = new();
    private readonly LocalObjectStore _plain;
    private readonly LocalKeyring _keyring;
    private readonly CountingKeyProvider _counting;
    private readonly List<EncryptedObjectStore> _stores = [];

    public CachingKeyProviderTests()
    {
        _plain = new LocalObjectStore(Path.Combine(_folder.Path, "lake"));
        _keyring = LocalKeyring.Create(KeyringPath, MasterKey.CreateKeyFile(MasterKeyPath));
        _counting = new CountingKeyProvider(_keyring);
    }

    private string KeyringPath => Path.Combine(_folder.Path, "keys", "keyring.json");

    private string MasterKeyPath => Path.Combine(_folder.Path, "keys", "master.key");

    public void Dispose()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        _folder.Dispose();
    }

    private EncryptedObjectStore Store(int maxEntries = 100, IKeyProvider? provider = null)
    {
        var store = new EncryptedObjectStore(_plain, provider ?? _counting, new EncryptedObjectStoreOptions
        {
            KeyScopes = s_patientScopes,
            DataKeyCache = new DataKeyCacheOptions { MaxEntries = maxEntries, TimeToLive = TimeSpan.FromMinutes(5), Time = _time },
        });
        _stores.Add(store);
        return store;
    }

    private static async Task<List<string>> WriteAsync(IObjectStore store, int count, string prefix = "t/part-")
    {
        var keys = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var key = $"{prefix}{i}.parquet";
            await store.PutAsync(key, System.Text.Encoding.UTF8.GetBytes(key));
            keys.Add(key);
        }

        return keys;
    }

    private static async Task ReadAsync(IObjectStore store, IEnumerable<string> keys)
    {
        foreach (var key in keys)
        {
            Assert.Equal(key, System.Text.Encoding.UTF8.GetString(await store.ReadAllBytesAsync(key)));
        }
    }

    [Fact]
    public async Task Reading_N_objects_twice_asks_the_provider_N_times()
    {
        var store = Store();
        var keys = await WriteAsync(store, 25);

        await ReadAsync(store, keys);
        await ReadAsync(store, keys);
        await store.VerifyAsync(keys[3]);
        Assert.Equal(5, await store.ReadRangeAsync(keys[4], 2, new byte[5]));

        Assert.Equal(25, _counting.Unwraps);
        Assert.Equal(25, ((CachingKeyProvider)store.KeyProvider).CachedKeys);
    }

    [Fact]
    public async Task Without_a_cache_every_open_asks_the_provider()
    {
        var store = new EncryptedObjectStore(_plain, _counting, new EncryptedObjectStoreOptions { DataKeyCache = null });
        var keys = await WriteAsync(store, 10);

        await ReadAsync(store, keys);
        await ReadAsync(store, keys);

        Assert.Equal(20, _counting.Unwraps);
        Assert.Same(_counting, store.KeyProvider);
    }

    [Fact]
    public async Task After_the_time_limit_the_provider_is_asked_again()
    {
        var store = Store();
        var keys = await WriteAsync(store, 3);
        await ReadAsync(store, keys);

        _time.Advance(TimeSpan.FromMinutes(4));
        await ReadAsync(store, keys);
        Assert.Equal(3, _counting.Unwraps);

        _time.Advance(TimeSpan.FromMinutes(1));
        await ReadAsync(store, keys);
        Assert.Equal(6, _counting.Unwraps);
    }

    [Fact]
    public async Task The_time_limit_counts_from_the_unwrap_not_from_the_last_use()
    {
        var store = Store();
        var keys = await WriteAsync(store, 1);
        await ReadAsync(store, keys);
        for (var minute = 0; minute < 4; minute++)
        {
            _time.Advance(TimeSpan.FromMinutes(1));
            await ReadAsync(store, keys);
        }

        Assert.Equal(1, _counting.Unwraps);
        _time.Advance(TimeSpan.FromMinutes(1));
        await ReadAsync(store, keys);
        Assert.Equal(2, _counting.Unwraps);
    }

    [Fact]
    public async Task The_least_recently_used_key_is_evicted_at_the_bound()
    {
        var store = Store(maxEntries: 2);
        var keys = await WriteAsync(store, 3);
        var (a, b, c) = (keys[0], keys[1], keys[2]);

        await ReadAsync(store, [a, b, a, c]);
        Assert.Equal(3, _counting.Unwraps);
        Assert.Equal(2, ((CachingKeyProvider)store.KeyProvider).CachedKeys);

        await ReadAsync(store, [a, c]);
        Assert.Equal(3, _counting.Unwraps);
        await ReadAsync(store, [b]);
        Assert.Equal(4, _counting.Unwraps);
        Assert.Equal(2, ((CachingKeyProvider)store.KeyProvider).CachedKeys);
    }

    [Fact]
    public async Task A_scope_destroyed_through_the_keyring_is_not_served_from_the_cache()
    {
        var store = Store();
        await store.PutAsync("raw/patient=p1/a.ndjson", "alice"u8.ToArray());
        await store.PutAsync("raw/patient=p2/b.ndjson", "bob"u8.ToArray());
        Assert.Equal("alice"u8.ToArray(), await store.ReadAllBytesAsync("raw/patient=p1/a.ndjson"));
        Assert.Equal("bob"u8.ToArray(), await store.ReadAllBytesAsync("raw/patient=p2/b.ndjson"));

        await _keyring.DestroyKeyAsync("patient-p1");

        var error = await Assert.ThrowsAsync<KeyUnavailableException>(() => store.ReadAllBytesAsync("raw/patient=p1/a.ndjson"));
        Assert.Equal("patient-p1", error.KeyId);
        Assert.Equal("bob"u8.ToArray(), await store.ReadAllBytesAsync("raw/patient=p2/b.ndjson"));
        Assert.Equal(3, _counting.Unwraps);
    }

    [Fact]
    public async Task A_scope_destroyed_by_another_keyring_instance_of_the_process_is_not_served_from_the_cache()
    {
        var store = Store();
        await store.PutAsync("raw/patient=p1/a.ndjson", "alice"u8.ToArray());
        Assert.Equal("alice"u8.ToArray(), await store.ReadAllBytesAsync("raw/patient=p1/a.ndjson"));

        await LocalKeyring.Open(KeyringPath, MasterKey.FromKeyFile(MasterKeyPath)).DestroyKeyAsync("patient-p1");

        await Assert.ThrowsAsync<KeyUnavailableException>(() => store.ReadAllBytesAsync("raw/patient=p1/a.ndjson"));
    }

    [Fact]
    public async Task A_scope_destroyed_through_the_store_is_not_served_for_a_provider_that_announces_nothing()
    {
        var provider = new InMemoryKeyProvider();
        var store = Store(provider: provider);
        await store.PutAsync("raw/patient=p1/a.ndjson", "alice"u8.ToArray());
        Assert.Equal("alice"u8.ToArray(), await store.ReadAllBytesAsync("raw/patient=p1/a.ndjson"));
        Assert.Equal(1, ((CachingKeyProvider)store.KeyProvider).CachedKeys);

        await store.KeyProvider.DestroyKeyAsync("patient-p1");

        Assert.Equal(0, ((CachingKeyProvider)store.KeyProvider).CachedKeys);
        await Assert.ThrowsAsync<KeyUnavailableException>(() => store.ReadAllBytesAsync("raw/patient=p1/a.ndjson"));
    }

    [Fact]
    public async Task A_retired_version_is_not_served_from_the_cache_and_rotation_keeps_the_rest()
    {
        var store = Store();
        await store.PutAsync("t/old", "v1"u8.ToArray());
        Assert.Equal("v1"u8.ToArray(), await store.ReadAllBytesAsync("t/old"));

        await _keyring.RotateAsync("lake");
        await store.PutAsync("t/new", "v2"u8.ToArray());
        Assert.Equal("v1"u8.ToArray(), await store.ReadAllBytesAsync("t/old"));
        Assert.Equal("v2"u8.ToArray(), await store.ReadAllBytesAsync("t/new"));
        Assert.Equal(2, _counting.Unwraps);

        await _keyring.RetireVersionAsync("lake", 1);

        var error = await Assert.ThrowsAsync<KeyUnavailableException>(() => store.ReadAllBytesAsync("t/old"));
        Assert.Equal(1, error.KekVersion);
        Assert.Equal("v2"u8.ToArray(), await store.ReadAllBytesAsync("t/new"));
        Assert.Equal(3, _counting.Unwraps);
    }

    [Fact]
    public async Task A_wrapped_key_altered_after_it_was_cached_is_still_tampering()
    {
        var store = Store();
        await store.PutAsync("t/a", "x"u8.ToArray());
        Assert.Equal("x"u8.ToArray(), await store.ReadAllBytesAsync("t/a"));
        var path = _plain.PathOf("t/a");
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[30] ^= 1;
        await File.WriteAllBytesAsync(path, bytes);

        await Assert.ThrowsAsync<TamperedObjectException>(() => store.ReadAllBytesAsync("t/a"));
    }

    [Fact]
    public async Task Stores_sharing_one_caching_provider_ask_once_per_key()
    {
        using var shared = new CachingKeyProvider(_counting, new DataKeyCacheOptions { Time = _time });
        var first = Store(provider: shared);
        var second = Store(provider: shared);
        var keys = await WriteAsync(first, 4);

        await ReadAsync(first, keys);
        await ReadAsync(second, keys);

        Assert.Same(shared, second.KeyProvider);
        Assert.Equal(4, _counting.Unwraps);
    }

    [Fact]
    public async Task Concurrent_reads_through_a_small_cache_return_every_object_intact()
    {
        var store = Store(maxEntries: 4);
        var keys = await WriteAsync(store, 40);

        await Parallel.ForEachAsync(Enumerable.Range(0, 400), new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (i, ct) => Assert.Equal(keys[i % 40], System.Text.Encoding.UTF8.GetString(await store.ReadAllBytesAsync(keys[i % 40], ct))));

        Assert.InRange(((CachingKeyProvider)store.KeyProvider).CachedKeys, 1, 4);
    }

    [Fact]
    public async Task A_disposed_store_refuses_to_unwrap()
    {
        var store = Store();
        await store.PutAsync("t/a", "x"u8.ToArray());
        await store.ReadAllBytesAsync("t/a");

        store.Dispose();

        Assert.Equal(0, ((CachingKeyProvider)store.KeyProvider).CachedKeys);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.ReadAllBytesAsync("t/a"));
    }

    [Theory]
    [InlineData(0, 5, "MaxEntries")]
    [InlineData(10, 0, "TimeToLive")]
    [InlineData(10, 60 * 24 * 2, "TimeToLive")]
    public void Bad_cache_options_fail_naming_the_setting(int maxEntries, int minutes, string setting)
    {
        var options = new DataKeyCacheOptions { MaxEntries = maxEntries, TimeToLive = TimeSpan.FromMinutes(minutes) };

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new CachingKeyProvider(_keyring, options));

        Assert.Equal(setting, error.ParamName);
        Assert.Contains("DataKeyCacheOptions." + setting, error.Message, StringComparison.Ordinal);
    }
}
