namespace Fhirhouse.Storage.Tests;

public sealed class PrefetchedReadStreamTests
{
    private static readonly byte[] s_data = [.. Enumerable.Range(0, 10_000).Select(i => (byte)(i * 7))];

    /// <summary>A remote object's stream: asynchronous reads only, counted.</summary>
    private sealed class AsyncOnlyStream(byte[] data) : Stream
    {
        private long _position;

        public int AsyncReads { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => data.Length;

        public override long Position
        {
            get => _position;
            set => _position = value;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("asynchronous only");

        public override int Read(Span<byte> buffer) => throw new NotSupportedException("asynchronous only");

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            AsyncReads++;
            var n = (int)Math.Clamp(data.Length - _position, 0, buffer.Length);
            data.AsMemory((int)_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [Fact]
    public async Task Synchronous_reads_are_served_from_prefetched_ranges_even_across_two_of_them()
    {
        var inner = new AsyncOnlyStream(s_data);
        await using var stream = new PrefetchedReadStream(inner);
        await stream.PrefetchAsync(1000, 500);
        await stream.PrefetchAsync(1500, 500);
        await stream.PrefetchAsync(1200, 100);
        var reads = inner.AsyncReads;

        stream.Position = 1400;
        var across = new byte[300];
        stream.ReadExactly(across);

        Assert.Equal(s_data[1400..1700], across);
        Assert.Equal(reads, inner.AsyncReads);
        Assert.Equal(1000, stream.PrefetchedBytes);
    }

    [Fact]
    public async Task A_synchronous_miss_names_the_range_to_prefetch_and_the_retry_succeeds()
    {
        await using var stream = new PrefetchedReadStream(new AsyncOnlyStream(s_data));
        var buffer = new byte[200];
        stream.Position = 9900;

        Assert.Throws<NotSupportedException>(() => stream.ReadExactly(buffer.AsSpan(0, 100)));
        var missed = stream.TakeMissedRange();
        Assert.Equal((9900L, 100), missed);
        await stream.PrefetchAsync(missed!.Value.Offset, missed.Value.Length);
        stream.Position = 9900;

        Assert.Equal(100, stream.Read(buffer));
        Assert.Equal(s_data[9900..], buffer[..100]);
        Assert.Equal(0, stream.Read(buffer));
    }

    [Fact]
    public async Task Bytes_not_prefetched_come_from_a_stream_that_reads_synchronously_and_asynchronously_from_any()
    {
        await using var local = new PrefetchedReadStream(new MemoryStream(s_data, writable: false));
        local.Position = 42;
        var sync = new byte[10];
        local.ReadExactly(sync);
        Assert.Equal(s_data[42..52], sync);

        await using var remote = new PrefetchedReadStream(new AsyncOnlyStream(s_data));
        await remote.PrefetchTailAsync(100);
        remote.Position = 9800;
        var mixed = new byte[200];
        await remote.ReadExactlyAsync(mixed);
        Assert.Equal(s_data[9800..], mixed);
        Assert.Null(remote.TakeMissedRange());
    }

    [Fact]
    public async Task Prefetching_past_the_end_keeps_what_exists()
    {
        await using var stream = new PrefetchedReadStream(new AsyncOnlyStream(s_data));

        await stream.PrefetchAsync(9990, 1000);
        await stream.PrefetchAsync(20_000, 10);
        await stream.PrefetchTailAsync(20_000);

        Assert.Equal(10 + s_data.Length, stream.PrefetchedBytes);
    }
}
