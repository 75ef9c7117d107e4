using System.Text;
using Fhirhouse.Storage.Encryption;
using Fhirhouse.Storage.Keys;

namespace Fhirhouse.Storage.Tests.Encryption;

public sealed class EncryptedObjectStoreTests : IDisposable
{
    private const int Segment = 64 * 1024;
    private readonly KeyringFixture _lake = new();

    public void Dispose() => _lake.Dispose();

    private static byte[] Bytes(int length, int seed = 7)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(Segment - 1)]
    [InlineData(Segment)]
    [InlineData(Segment + 1)]
    [InlineData((3 * Segment) + 123)]
    public async Task Put_then_read_returns_the_plaintext_and_listing_reports_its_size(int length)
    {
        var data = Bytes(length);
        await _lake.Store.PutAsync("t/part-0.parquet", data);

        Assert.Equal(data, await _lake.Store.ReadAllBytesAsync("t/part-0.parquet"));
        Assert.Equal(length, (await _lake.Store.GetInfoAsync("t/part-0.parquet"))!.Size);
        var listed = Assert.Single(await _lake.Store.ListAsync("t/").ToListAsync());
        Assert.Equal(length, listed.Size);
        var stored = new FileInfo(_lake.FileOf("t/part-0.parquet")).Length;
        Assert.Equal(EnvelopeFormat.CiphertextLength(length), stored);
    }

    [Fact]
    public async Task Stored_bytes_hold_no_plaintext_and_two_writes_of_the_same_content_differ()
    {
        var marker = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("PATIENT-DUPONT-1957 ", 500)));
        await _lake.Store.PutAsync("a", marker);
        await _lake.Store.PutAsync("b", marker);

        var a = await File.ReadAllBytesAsync(_lake.FileOf("a"));
        var b = await File.ReadAllBytesAsync(_lake.FileOf("b"));
        Assert.Equal(-1, a.AsSpan().IndexOf("PATIENT-DUPONT"u8));
        Assert.NotEqual(a.AsSpan(EnvelopeFormat.HeaderSize).ToArray(), b.AsSpan(EnvelopeFormat.HeaderSize).ToArray());
    }

    [Fact]
    public async Task Seekable_stream_reads_any_slice_and_ranged_read_is_short_at_the_end()
    {
        var data = Bytes((2 * Segment) + 500);
        await _lake.Store.PutAsync("f", data);

        await using (var stream = await _lake.Store.OpenReadAsync("f"))
        {
            Assert.True(stream.CanSeek);
            stream.Seek(-8, SeekOrigin.End);
            var footer = new byte[8];
            stream.ReadExactly(footer);
            Assert.Equal(data[^8..], footer);
            stream.Position = Segment - 3;
            var across = new byte[10];
            await stream.ReadExactlyAsync(across);
            Assert.Equal(data[(Segment - 3)..(Segment + 7)], across);
        }

        var tail = new byte[1000];
        var n = await _lake.Store.ReadRangeAsync("f", data.Length - 100, tail);
        Assert.Equal(100, n);
        Assert.Equal(data[^100..], tail[..100]);
        Assert.Equal(0, await _lake.Store.ReadRangeAsync("f", data.Length + 5, tail));
    }

    [Fact]
    public async Task A_ranged_read_fetches_only_the_header_and_the_segments_it_touches()
    {
        var counting = new CountingObjectStore(_lake.Plain);
        var store = new EncryptedObjectStore(counting, _lake.Keyring);
        await store.PutAsync("big", Bytes(10 * Segment));

        var buffer = new byte[16];
        await store.ReadRangeAsync("big", (7 * Segment) + 10, buffer);

        Assert.Equal(EnvelopeFormat.HeaderSize + EnvelopeFormat.CiphertextSegmentSize, counting.BytesRead);
    }

    [Fact]
    public async Task Put_if_absent_keeps_the_first_object()
    {
        Assert.True(await _lake.Store.PutIfAbsentAsync("log/0.json", "first"u8.ToArray()));
        Assert.False(await _lake.Store.PutIfAbsentAsync("log/0.json", "second"u8.ToArray()));
        Assert.Equal("first", Encoding.UTF8.GetString(await _lake.Store.ReadAllBytesAsync("log/0.json")));
    }

    [Fact]
    public async Task Missing_object_throws_not_found_and_delete_is_idempotent()
    {
        await Assert.ThrowsAsync<ObjectNotFoundException>(() => _lake.Store.OpenReadAsync("nope"));
        Assert.Null(await _lake.Store.GetInfoAsync("nope"));
        await _lake.Store.PutAsync("x", "1"u8.ToArray());
        await _lake.Store.DeleteAsync("x");
        await _lake.Store.DeleteAsync("x");
        Assert.False(await _lake.Store.ExistsAsync("x"));
    }

    [Fact]
    public async Task The_reserved_metadata_prefix_is_hidden_and_refused()
    {
        await _lake.Plain.PutAsync("_fhirhouse/lake.json", "{}"u8.ToArray());
        await _lake.Store.PutAsync("t/a", "x"u8.ToArray());

        Assert.Equal(["t/a"], await _lake.Store.ListAsync("").Select(o => o.Key).ToListAsync());
        await Assert.ThrowsAsync<ArgumentException>(() => _lake.Store.PutAsync("_fhirhouse/x", "y"u8.ToArray()));
    }

    [Fact]
    public async Task A_missing_key_is_reported_with_its_id_and_the_object()
    {
        await _lake.Store.PutAsync("t/a", "x"u8.ToArray());
        await _lake.Keyring.DestroyKeyAsync("lake");

        var error = await Assert.ThrowsAsync<KeyUnavailableException>(() => _lake.Store.ReadAllBytesAsync("t/a"));
        Assert.Equal("lake", error.KeyId);
        Assert.Equal("t/a", error.ObjectKey);
        Assert.Contains("destroyed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_default_key_is_created_on_first_write()
    {
        Assert.Empty(await _lake.Keyring.ListAsync());
        await _lake.Store.PutAsync("t/a", "x"u8.ToArray());
        var key = Assert.Single(await _lake.Keyring.ListAsync());
        Assert.Equal(new KeyInfo("lake", 1, [1]).KeyId, key.KeyId);
        Assert.Equal(1, key.CurrentVersion);
    }

    [Fact]
    public async Task A_write_that_fails_midway_leaves_no_object_and_no_temporary_file()
    {
        await using var failing = new FailingStream(Bytes(300_000), failAfter: 150_000);

        await Assert.ThrowsAsync<IOException>(() => _lake.Store.PutAsync("t/half.parquet", failing));

        Assert.Null(await _lake.Store.GetInfoAsync("t/half.parquet"));
        Assert.Empty(Directory.EnumerateFiles(_lake.LakePath, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Concurrent_put_if_absent_has_exactly_one_winner_whose_content_reads_back()
    {
        var attempts = Enumerable.Range(0, 8)
            .Select(i => Task.Run(() => _lake.Store.PutIfAbsentAsync("t/_delta_log/00001.json", Encoding.UTF8.GetBytes($"writer {i}"))));
        var results = await Task.WhenAll(attempts);

        Assert.Equal(1, results.Count(r => r));
        var winner = Array.IndexOf(results, true);
        Assert.Equal($"writer {winner}", Encoding.UTF8.GetString(await _lake.Store.ReadAllBytesAsync("t/_delta_log/00001.json")));
    }

    private sealed class FailingStream(byte[] data, int failAfter) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) =>
            Position >= failAfter ? throw new IOException("source failed") : base.Read(buffer, offset, Math.Min(count, failAfter - (int)Position));

        public override int Read(Span<byte> buffer) =>
            Position >= failAfter ? throw new IOException("source failed") : base.Read(buffer[..Math.Min(buffer.Length, failAfter - (int)Position)]);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer, offset, count));
    }

    [Fact]
    public async Task Data_keys_and_nonces_come_from_the_injected_random_source()
    {
        var first = new EncryptedObjectStore(_lake.Plain, _lake.Keyring, new EncryptedObjectStoreOptions { Random = new CountingRandom() });
        var second = new EncryptedObjectStore(_lake.Plain, _lake.Keyring, new EncryptedObjectStoreOptions { Random = new CountingRandom() });
        await first.PutAsync("r/a", Bytes(100_000));
        var a = await File.ReadAllBytesAsync(_lake.FileOf("r/a"));
        await second.PutAsync("r/a", Bytes(100_000));
        var b = await File.ReadAllBytesAsync(_lake.FileOf("r/a"));

        Assert.Equal(a[512..], b[512..]);
        Assert.Equal(a[6..13], b[6..13]);
    }

    /// <summary>A deterministic source, to prove injection; never a real one.</summary>
    private sealed class CountingRandom : System.Security.Cryptography.RandomNumberGenerator
    {
        private byte _next;

        public override void GetBytes(byte[] data) => GetBytes(data.AsSpan());

        public override void GetBytes(Span<byte> data)
        {
            for (var i = 0; i < data.Length; i++)
            {
                data[i] = _next++;
            }
        }
    }
}
