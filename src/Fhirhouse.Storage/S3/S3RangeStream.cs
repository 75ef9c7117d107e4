namespace Fhirhouse.Storage.S3;

/// <summary>A seekable read stream over one S3 object, served by ranged GETs with a read-ahead window.</summary>
internal sealed class S3RangeStream(S3ObjectStore store, string key, long length, int readAhead) : Stream
{
    private byte[] _window = [];
    private long _windowStart;
    private int _windowLength;
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <summary>
    /// Serves only bytes already fetched (the read-ahead window of the last asynchronous read): S3 has no synchronous
    /// API and no thread is blocked on a task here. Synchronous readers prefetch what they need
    /// (<see cref="PrefetchedReadStream"/>).
    /// </summary>
    public override int Read(Span<byte> buffer)
    {
        if (_position >= length || buffer.Length == 0)
        {
            return 0;
        }

        if (_position < _windowStart || _position >= _windowStart + _windowLength)
        {
            throw new NotSupportedException(
                $"S3 object '{key}' is read asynchronously: bytes from {_position} were not fetched. Use ReadAsync, or prefetch them (PrefetchedReadStream) for a synchronous reader.");
        }

        return CopyOut(buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= length || buffer.Length == 0)
        {
            return 0;
        }

        if (_position < _windowStart || _position >= _windowStart + _windowLength)
        {
            var size = (int)Math.Min(Math.Max(buffer.Length, readAhead), length - _position);
            if (_window.Length < size)
            {
                _window = new byte[size];
            }

            _windowLength = await store.ReadRangeAsync(key, _position, _window.AsMemory(0, size), cancellationToken).ConfigureAwait(false);
            _windowStart = _position;
            if (_windowLength == 0)
            {
                return 0;
            }
        }

        return CopyOut(buffer.Span);
    }

    private int CopyOut(Span<byte> buffer)
    {
        var within = (int)(_position - _windowStart);
        var n = Math.Min(buffer.Length, _windowLength - within);
        _window.AsSpan(within, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
