using System.Buffers;
using System.Security.Cryptography;

namespace Fhirhouse.Storage.Encryption;

/// <summary>
/// The seekable plaintext view of one encrypted object: reads fetch and authenticate only the segments they touch,
/// keeping the last decrypted segment. A segment that does not authenticate throws <see cref="TamperedObjectException"/>.
/// </summary>
internal sealed class DecryptingStream : Stream
{
    private readonly Stream _ciphertext;
    private readonly SegmentCipher _cipher;
    private readonly string _key;
    private readonly long _length;
    private readonly long _segments;
    private readonly byte[] _sealed = ArrayPool<byte>.Shared.Rent(EnvelopeFormat.CiphertextSegmentSize);
    private readonly byte[] _plain = ArrayPool<byte>.Shared.Rent(EnvelopeFormat.SegmentSize);
    private int _disposed;
    private long _loaded = -1;
    private int _loadedLength;
    private long _position;

    public DecryptingStream(Stream ciphertext, SegmentCipher cipher, string key, long plaintextLength)
    {
        _ciphertext = ciphertext;
        _cipher = cipher;
        _key = key;
        _length = plaintextLength;
        _segments = EnvelopeFormat.SegmentCount(plaintextLength);
    }

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    /// <summary>Authenticates segment <paramref name="index"/> now (used for empty objects, whose only segment no read touches).</summary>
    public void Authenticate(long index) => Load(index);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var total = 0;
        while (total < buffer.Length && _position < _length)
        {
            var index = _position / EnvelopeFormat.SegmentSize;
            if (index != _loaded)
            {
                Load(index);
            }

            total += CopyOut(index, buffer[total..]);
        }

        return total;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var total = 0;
        while (total < buffer.Length && _position < _length)
        {
            var index = _position / EnvelopeFormat.SegmentSize;
            if (index != _loaded)
            {
                await LoadAsync(index, cancellationToken).ConfigureAwait(false);
            }

            total += CopyOut(index, buffer.Span[total..]);
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
            SeekOrigin.End => _length + offset,
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
        if (disposing && ReleaseBuffers())
        {
            _cipher.Dispose();
            _ciphertext.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (ReleaseBuffers())
        {
            _cipher.Dispose();
            await _ciphertext.DisposeAsync().ConfigureAwait(false);
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Wipes the plaintext and returns both buffers to the pool, once; false when already done.</summary>
    private bool ReleaseBuffers()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return false;
        }

        _loaded = -1;
        CryptographicOperations.ZeroMemory(_plain);
        ArrayPool<byte>.Shared.Return(_plain);
        ArrayPool<byte>.Shared.Return(_sealed);
        return true;
    }

    private int CopyOut(long index, Span<byte> destination)
    {
        var within = (int)(_position - (index * EnvelopeFormat.SegmentSize));
        var n = Math.Min(destination.Length, _loadedLength - within);
        _plain.AsSpan(within, n).CopyTo(destination);
        _position += n;
        return n;
    }

    private (long Offset, int Length, bool Last) Locate(long index)
    {
        var offset = EnvelopeFormat.HeaderSize + (index * EnvelopeFormat.CiphertextSegmentSize);
        var last = index == _segments - 1;
        var length = last
            ? (int)(EnvelopeFormat.CiphertextLength(_length) - offset)
            : EnvelopeFormat.CiphertextSegmentSize;
        return (offset, length, last);
    }

    private void Load(long index)
    {
        var (offset, length, last) = Locate(index);
        _loaded = -1;
        _ciphertext.Position = offset;
        try
        {
            _ciphertext.ReadExactly(_sealed, 0, length);
        }
        catch (EndOfStreamException e)
        {
            throw new TamperedObjectException(_key, $"segment {index} is truncated", e);
        }

        Open(index, length, last);
    }

    private async ValueTask LoadAsync(long index, CancellationToken cancellationToken)
    {
        var (offset, length, last) = Locate(index);
        _loaded = -1;
        _ciphertext.Position = offset;
        try
        {
            await _ciphertext.ReadExactlyAsync(_sealed.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
        }
        catch (EndOfStreamException e)
        {
            throw new TamperedObjectException(_key, $"segment {index} is truncated", e);
        }

        Open(index, length, last);
    }

    private void Open(long index, int length, bool last)
    {
        if (!_cipher.TryDecrypt(index, last, _sealed.AsSpan(0, length), _plain))
        {
            throw new TamperedObjectException(_key, $"segment {index} of {_segments} failed authentication");
        }

        _loaded = index;
        _loadedLength = length - EnvelopeFormat.TagSize;
    }
}
