namespace Fhirhouse.Storage;

/// <summary>
/// A seekable read-only view of an object's stream for readers that read synchronously (ParquetSharp's reader, a
/// format sniffer): the bytes they need are fetched asynchronously beforehand with <see cref="PrefetchAsync"/> and
/// served from memory. A synchronous read of bytes not prefetched goes to the inner stream, which reads them if it can
/// without blocking on a task (a local file); a stream that cannot (S3) throws <see cref="NotSupportedException"/>, and
/// the range that was wanted is kept for <see cref="TakeMissedRange"/>, so that a caller can prefetch it and retry.
/// Asynchronous reads of bytes not prefetched go to the inner stream asynchronously. Owns the inner stream.
/// </summary>
public sealed class PrefetchedReadStream : Stream
{
    private readonly Stream _inner;
    private readonly List<(long Offset, byte[] Bytes)> _ranges = [];
    private (long Offset, int Length)? _missed;
    private long _position;
    private bool _disposed;

    public PrefetchedReadStream(Stream inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (!inner.CanSeek || !inner.CanRead)
        {
            throw new ArgumentException("The stream must be readable and seekable.", nameof(inner));
        }

        _inner = inner;
    }

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => _inner.Length;

    /// <summary>Bytes held in memory.</summary>
    public long PrefetchedBytes { get; private set; }

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    /// <summary>Fetches <paramref name="length"/> bytes at <paramref name="offset"/> (fewer at the end of the object) into memory.</summary>
    public async Task PrefetchAsync(long offset, int length, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var take = (int)Math.Min(length, Math.Max(0, Length - offset));
        if (take == 0 || Covers(offset, take))
        {
            return;
        }

        var bytes = new byte[take];
        _inner.Position = offset;
        await _inner.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
        var at = _ranges.FindIndex(r => r.Offset > offset);
        _ranges.Insert(at < 0 ? _ranges.Count : at, (offset, bytes));
        PrefetchedBytes += take;
    }

    /// <summary>Fetches the last <paramref name="length"/> bytes (a Parquet footer and what precedes it).</summary>
    public Task PrefetchTailAsync(int length, CancellationToken cancellationToken = default) =>
        PrefetchAsync(Math.Max(0, Length - length), length, cancellationToken);

    /// <summary>The range a synchronous read wanted and the inner stream could not read synchronously; cleared by the call.</summary>
    public (long Offset, int Length)? TakeMissedRange()
    {
        var missed = _missed;
        _missed = null;
        return missed;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var total = 0;
        while (total < buffer.Length && _position < Length)
        {
            var n = CopyPrefetched(buffer[total..]);
            if (n == 0)
            {
                try
                {
                    _inner.Position = _position;
                    n = _inner.Read(buffer[total..]);
                }
                catch (NotSupportedException)
                {
                    _missed = (_position, (int)Math.Min(buffer.Length - total, Length - _position));
                    throw;
                }

                if (n == 0)
                {
                    break;
                }

                _position += n;
            }

            total += n;
        }

        return total;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var total = 0;
        while (total < buffer.Length && _position < Length)
        {
            var n = CopyPrefetched(buffer.Span[total..]);
            if (n == 0)
            {
                _inner.Position = _position;
                n = await _inner.ReadAsync(buffer[total..], cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                _position += n;
            }

            total += n;
        }

        return total;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => Length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _ranges.Clear();
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            _ranges.Clear();
            await _inner.DisposeAsync().ConfigureAwait(false);
        }

        GC.SuppressFinalize(this);
    }

    private bool Covers(long offset, int length)
    {
        foreach (var (start, bytes) in _ranges)
        {
            if (start <= offset && offset + length <= start + bytes.Length)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Copies from the prefetched range holding the position, if any; returns how many bytes.</summary>
    private int CopyPrefetched(Span<byte> destination)
    {
        foreach (var (start, bytes) in _ranges)
        {
            if (start <= _position && _position < start + bytes.Length)
            {
                var within = (int)(_position - start);
                var n = Math.Min(destination.Length, bytes.Length - within);
                bytes.AsSpan(within, n).CopyTo(destination);
                _position += n;
                return n;
            }
        }

        return 0;
    }
}
