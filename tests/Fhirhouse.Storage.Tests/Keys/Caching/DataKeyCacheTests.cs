using Fhirhouse.Storage.Keys;
using Fhirhouse.Storage.Keys.Caching;
using Microsoft.Extensions.Time.Testing;

namespace Fhirhouse.Storage.Tests.Keys.Caching;

public sealed class DataKeyCacheTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly DataKeyCache _cache;

    public DataKeyCacheTests() => _cache = new DataKeyCache(2, TimeSpan.FromMinutes(5), _time);

    public void Dispose() => _cache.Dispose();

    private static WrappedDataKey Wrapped(string keyId, int version, byte b) => new(keyId, version, new byte[] { b, b, b });

    private static byte[] Key(byte b) => Enumerable.Repeat(b, 32).ToArray();

    [Fact]
    public void A_hit_returns_a_copy_the_caller_may_zero()
    {
        _cache.Add(Wrapped("lake", 1, 1), Key(7), _cache.Epoch);

        Assert.True(_cache.TryGet(Wrapped("lake", 1, 1), out var first));
        Array.Clear(first);
        Assert.True(_cache.TryGet(Wrapped("lake", 1, 1), out var second));
        Assert.Equal(Key(7), second);
    }

    [Fact]
    public void The_key_id_version_and_wrapped_bytes_all_tell_entries_apart()
    {
        _cache.Add(Wrapped("lake", 1, 1), Key(7), _cache.Epoch);

        Assert.False(_cache.TryGet(Wrapped("lake", 2, 1), out _));
        Assert.False(_cache.TryGet(Wrapped("other", 1, 1), out _));
        Assert.False(_cache.TryGet(Wrapped("lake", 1, 2), out _));
    }

    [Fact]
    public void Evicted_expired_and_disposed_keys_are_zeroed()
    {
        var evicted = Key(1);
        var expired = Key(2);
        var alsoExpired = Key(3);
        _cache.Add(Wrapped("a", 1, 1), evicted, _cache.Epoch);
        _time.Advance(TimeSpan.FromMinutes(1));
        _cache.Add(Wrapped("b", 1, 2), expired, _cache.Epoch);
        _cache.Add(Wrapped("c", 1, 3), alsoExpired, _cache.Epoch);
        Assert.All(evicted, b => Assert.Equal(0, b));
        Assert.Equal(Key(2), expired);

        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.False(_cache.TryGet(Wrapped("b", 1, 2), out _));
        Assert.All(expired, b => Assert.Equal(0, b));
        Assert.All(alsoExpired, b => Assert.Equal(0, b));
        var last = Key(4);
        _cache.Add(Wrapped("d", 1, 4), last, _cache.Epoch);

        _cache.Dispose();

        Assert.All(last, b => Assert.Equal(0, b));
        Assert.Throws<ObjectDisposedException>(() => _cache.TryGet(Wrapped("d", 1, 4), out _));
    }

    [Fact]
    public void An_unwrap_that_raced_with_an_invalidation_is_not_stored()
    {
        var epoch = _cache.Epoch;
        var key = Key(9);

        _cache.Invalidate("patient-p1", null);
        _cache.Add(Wrapped("patient-p1", 1, 1), key, epoch);

        Assert.Equal(0, _cache.Count);
        Assert.All(key, b => Assert.Equal(0, b));
    }

    [Fact]
    public void Invalidating_a_version_keeps_the_other_versions()
    {
        _cache.Add(Wrapped("lake", 1, 1), Key(1), _cache.Epoch);
        _cache.Add(Wrapped("lake", 2, 2), Key(2), _cache.Epoch);

        _cache.Invalidate("lake", 1);

        Assert.False(_cache.TryGet(Wrapped("lake", 1, 1), out _));
        Assert.True(_cache.TryGet(Wrapped("lake", 2, 2), out _));
    }

    [Fact]
    public void A_removal_announced_anywhere_in_the_process_for_its_kind_of_provider_reaches_the_cache()
    {
        _cache.Add(Wrapped("patient-p7", 1, 1), Key(1), _cache.Epoch);
        _cache.Add(Wrapped("lake", 1, 2), Key(2), _cache.Epoch);

        KeyRemovals.Announce("another-provider", "lake", null);
        Assert.True(_cache.TryGet(Wrapped("lake", 1, 2), out _));
        KeyRemovals.Announce(_cache.Provider, "patient-p7", null);

        Assert.False(_cache.TryGet(Wrapped("patient-p7", 1, 1), out _));
        Assert.True(_cache.TryGet(Wrapped("lake", 1, 2), out _));
    }
}
