using System.Security.Cryptography;
using System.Text;

namespace Fhirhouse.Storage.Tests.Contract;

/// <summary>
/// The IObjectStore contract, as the Delta engine relies on it, run against every store and wrapper so that the
/// encrypted store is proven a drop-in replacement (plaintext sizes, sorted listing, ranged reads, put-if-absent).
/// </summary>
public abstract class ObjectStoreContract
{
    protected abstract IObjectStore Store { get; }

    /// <summary>False for peers that ignore If-None-Match (s3rver): their put-if-absent cannot refuse.</summary>
    protected virtual bool EnforcesPutIfAbsent => true;

    [Fact]
    public async Task Put_then_read_returns_the_bytes_and_reports_their_size()
    {
        var data = RandomNumberGenerator.GetBytes(70_001);
        await Store.PutAsync("c/a.bin", data);

        Assert.Equal(data, await Store.ReadAllBytesAsync("c/a.bin"));
        Assert.Equal(data.Length, (await Store.GetInfoAsync("c/a.bin"))!.Size);
        Assert.Equal(data.Length, (await Store.ListAsync("c/").SingleAsync()).Size);
    }

    [Fact]
    public async Task Put_replaces_previous_content()
    {
        await Store.PutAsync("c/r", "first, longer content"u8.ToArray());
        await Store.PutAsync("c/r", "second"u8.ToArray());

        Assert.Equal("second", Encoding.UTF8.GetString(await Store.ReadAllBytesAsync("c/r")));
    }

    [Fact]
    public async Task Put_if_absent_writes_a_free_key_and_refuses_a_taken_one()
    {
        Assert.True(await Store.PutIfAbsentAsync("c/_delta_log/0.json", "first"u8.ToArray()));
        if (EnforcesPutIfAbsent)
        {
            Assert.False(await Store.PutIfAbsentAsync("c/_delta_log/0.json", "second"u8.ToArray()));
            Assert.Equal("first", Encoding.UTF8.GetString(await Store.ReadAllBytesAsync("c/_delta_log/0.json")));
        }
    }

    [Fact]
    public async Task Listing_is_sorted_ordinally_and_filtered_by_prefix()
    {
        foreach (var key in new[] { "c/t/_delta_log/00002.json", "c/t/_delta_log/00000.json", "c/t/part=b/x.parquet", "c/t/_delta_log/00001.json", "c/u/other", "c/t/_delta_log/0000A.json" })
        {
            await Store.PutAsync(key, "x"u8.ToArray());
        }

        Assert.Equal(["c/t/_delta_log/00000.json", "c/t/_delta_log/00001.json", "c/t/_delta_log/00002.json", "c/t/_delta_log/0000A.json"],
            await Store.ListAsync("c/t/_delta_log/0000").Select(o => o.Key).ToListAsync());
        Assert.Equal(5, await Store.ListAsync("c/t").CountAsync());
        Assert.Empty(await Store.ListAsync("c/missing/").ToListAsync());
    }

    [Fact]
    public async Task Ranged_reads_return_the_slice_short_at_the_end_and_nothing_past_it()
    {
        var data = RandomNumberGenerator.GetBytes(140_000);
        await Store.PutAsync("c/range", data);
        var buffer = new byte[1000];

        Assert.Equal(1000, await Store.ReadRangeAsync("c/range", 65_000, buffer));
        Assert.Equal(data[65_000..66_000], buffer);
        Assert.Equal(400, await Store.ReadRangeAsync("c/range", 139_600, buffer));
        Assert.Equal(data[139_600..], buffer[..400]);
        Assert.Equal(0, await Store.ReadRangeAsync("c/range", 140_000, buffer));
    }

    [Fact]
    public async Task The_read_stream_seeks_like_a_parquet_reader_does()
    {
        var data = RandomNumberGenerator.GetBytes(200_000);
        await Store.PutAsync("c/p.parquet", data);

        // A synchronous reader (ParquetSharp) reads what was prefetched asynchronously; no store blocks on a task for it.
        await using var stream = new PrefetchedReadStream(await Store.OpenReadAsync("c/p.parquet"));
        Assert.True(stream.CanSeek);
        Assert.Equal(data.Length, stream.Length);
        await stream.PrefetchTailAsync(8);
        stream.Seek(-8, SeekOrigin.End);
        var tail = new byte[8];
        stream.ReadExactly(tail);
        Assert.Equal(data[^8..], tail);
        stream.Seek(1000, SeekOrigin.Begin);
        var middle = new byte[100_000];
        await stream.ReadExactlyAsync(middle);
        Assert.Equal(data[1000..101_000], middle);
    }

    [Fact]
    public async Task Empty_objects_round_trip()
    {
        await Store.PutAsync("c/empty", Array.Empty<byte>());

        Assert.Empty(await Store.ReadAllBytesAsync("c/empty"));
        Assert.Equal(0, (await Store.GetInfoAsync("c/empty"))!.Size);
    }

    [Fact]
    public async Task Missing_objects_are_reported_and_delete_is_idempotent()
    {
        await Store.PutAsync("c/d", "x"u8.ToArray());
        await Store.DeleteAsync("c/d");
        await Store.DeleteAsync("c/d");

        Assert.Null(await Store.GetInfoAsync("c/d"));
        Assert.Equal("c/d", (await Assert.ThrowsAsync<ObjectNotFoundException>(() => Store.OpenReadAsync("c/d"))).Key);
        await Assert.ThrowsAsync<ObjectNotFoundException>(() => Store.ReadRangeAsync("c/d", 0, new byte[1]));
    }
}
