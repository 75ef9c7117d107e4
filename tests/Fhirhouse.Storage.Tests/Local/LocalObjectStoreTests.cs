using System.Text;
using Fhirhouse.Storage.Local;

using Fhirhouse.Testing;

namespace Fhirhouse.Storage.Tests.Local;

public sealed class LocalObjectStoreTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly LocalObjectStore _store;

    public LocalObjectStoreTests() => _store = new LocalObjectStore(_folder.Path);

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Listing_while_a_writer_replaces_and_deletes_objects_never_fails_and_lists_only_what_exists()
    {
        // The head records' pattern: each new version written, the one before deleted.
        await _store.PutAsync("_heads/t/0.head", "0"u8.ToArray());
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(1.5));
        var writer = Task.Run(async () =>
        {
            for (var version = 1; !stop.IsCancellationRequested; version++)
            {
                await _store.PutAsync($"_heads/t/{version}.head", "v"u8.ToArray());
                await _store.DeleteAsync($"_heads/t/{version - 1}.head");
            }
        });
        var listings = 0;
        while (!writer.IsCompleted)
        {
            await foreach (var info in _store.ListAsync("_heads/t/"))
            {
                Assert.EndsWith(".head", info.Key, StringComparison.Ordinal);
            }

            listings++;
        }

        await writer;
        Assert.True(listings > 10, $"{listings} listings");
    }

    [Fact]
    public async Task Put_then_read_returns_the_same_bytes()
    {
        await _store.PutAsync("t/a.bin", Encoding.UTF8.GetBytes("hello lake"));
        Assert.Equal("hello lake", Encoding.UTF8.GetString(await _store.ReadAllBytesAsync("t/a.bin")));
        Assert.Equal(10, (await _store.GetInfoAsync("t/a.bin"))!.Size);
    }

    [Fact]
    public async Task Put_if_absent_refuses_an_existing_key_and_keeps_the_first_content()
    {
        Assert.True(await _store.PutIfAbsentAsync("log/0.json", "first"u8.ToArray()));
        Assert.False(await _store.PutIfAbsentAsync("log/0.json", "second"u8.ToArray()));
        Assert.Equal("first", Encoding.UTF8.GetString(await _store.ReadAllBytesAsync("log/0.json")));
        Assert.DoesNotContain(Directory.EnumerateFiles(Path.Combine(_folder.Path, "log")), f => f.Contains(LocalObjectStore.TempMarker, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Concurrent_put_if_absent_has_exactly_one_winner()
    {
        var attempts = Enumerable.Range(0, 16)
            .Select(i => Task.Run(() => _store.PutIfAbsentAsync("race/00001.json", Encoding.UTF8.GetBytes($"writer {i}"))));
        var results = await Task.WhenAll(attempts);
        Assert.Equal(1, results.Count(r => r));
        Assert.StartsWith("writer ", Encoding.UTF8.GetString(await _store.ReadAllBytesAsync("race/00001.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_is_sorted_by_key_recursive_and_filtered_by_prefix()
    {
        foreach (var key in new[] { "t/_delta_log/00002.json", "t/_delta_log/00000.json", "t/part=b/x.parquet", "t/_delta_log/00001.json", "u/other" })
        {
            await _store.PutAsync(key, "x"u8.ToArray());
        }

        var logKeys = await _store.ListAsync("t/_delta_log/0000").Select(o => o.Key).ToListAsync();
        Assert.Equal(["t/_delta_log/00000.json", "t/_delta_log/00001.json", "t/_delta_log/00002.json"], logKeys);
        var all = await _store.ListAsync("t/").Select(o => o.Key).ToListAsync();
        Assert.Equal(["t/_delta_log/00000.json", "t/_delta_log/00001.json", "t/_delta_log/00002.json", "t/part=b/x.parquet"], all);
        Assert.Empty(await _store.ListAsync("missing/").ToListAsync());
    }

    [Fact]
    public async Task Ranged_read_returns_the_requested_slice_and_short_at_the_end()
    {
        await _store.PutAsync("r", "0123456789"u8.ToArray());
        var buffer = new byte[4];
        Assert.Equal(4, await _store.ReadRangeAsync("r", 3, buffer));
        Assert.Equal("3456", Encoding.ASCII.GetString(buffer));
        Assert.Equal(2, await _store.ReadRangeAsync("r", 8, buffer));
        Assert.Equal("89", Encoding.ASCII.GetString(buffer, 0, 2));
    }

    [Fact]
    public async Task Delete_is_idempotent_and_missing_objects_are_reported_by_key()
    {
        await _store.PutAsync("d/x", "x"u8.ToArray());
        await _store.DeleteAsync("d/x");
        await _store.DeleteAsync("d/x");
        await _store.DeleteAsync("nofolder/x");
        var e = await Assert.ThrowsAsync<ObjectNotFoundException>(() => _store.OpenReadAsync("d/x"));
        Assert.Equal("d/x", e.Key);
        Assert.Null(await _store.GetInfoAsync("d/x"));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("/abs")]
    [InlineData("a/./b")]
    [InlineData("")]
    public async Task Keys_that_escape_the_root_are_refused(string key) =>
        await Assert.ThrowsAsync<ArgumentException>(() => _store.PutAsync(key, "x"u8.ToArray()));
}
