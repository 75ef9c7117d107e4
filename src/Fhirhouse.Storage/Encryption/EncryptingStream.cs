using System.Security.Cryptography;

namespace Fhirhouse.Storage.Encryption;

/// <summary>
/// A forward-only read stream producing the encrypted object (header, then sealed segments) from a plaintext source,
/// one segment ahead so that the last segment is flagged as last.
/// </summary>
internal sealed class EncryptingStream : Stream
{
    private readonly Stream _source;
    private readonly SegmentCipher _cipher;
    private readonly byte[] _out = new byte[Math.Max(EnvelopeFormat.CiphertextSegmentSize, EnvelopeFormat.HeaderSize)];
    private byte[] _current = new byte[EnvelopeFormat.SegmentSize];
    private byte[] _next = new byte[EnvelopeFormat.SegmentSize];
    private int _currentLength;
    private int _nextLength = -1;
    private long _index;
    private int _outStart;
    private int _outEnd;
    private bool _done;

    public EncryptingStream(Stream source, byte[] header, SegmentCipher cipher)
    {
        _source = source;
        _cipher = cipher;
        header.CopyTo(_out, 0);
        _outEnd = header.Length;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <summary>A synchronous consumer reads the source synchronously (no task is waited on).</summary>
    public override int Read(Span<byte> buffer)
    {
        if (_outStart == _outEnd)
        {
            if (_done)
            {
                return 0;
            }

            if (!TakeReadAhead())
            {
                _currentLength = _source.ReadAtLeast(_current, _current.Length, throwOnEndOfStream: false);
            }

            Seal(_currentLength == EnvelopeFormat.SegmentSize ? _source.ReadAtLeast(_next, _next.Length, throwOnEndOfStream: false) : 0);
        }

        return CopyOut(buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_outStart == _outEnd)
        {
            if (_done)
            {
                return 0;
            }

            if (!TakeReadAhead())
            {
                _currentLength = await _source.ReadAtLeastAsync(_current, _current.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            }

            Seal(_currentLength == EnvelopeFormat.SegmentSize
                ? await _source.ReadAtLeastAsync(_next, _next.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false)
                : 0);
        }

        return CopyOut(buffer.Span);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            CryptographicOperations.ZeroMemory(_current);
            CryptographicOperations.ZeroMemory(_next);
            _cipher.Dispose();
        }

        base.Dispose(disposing);
    }

    private int CopyOut(Span<byte> buffer)
    {
        var n = Math.Min(buffer.Length, _outEnd - _outStart);
        _out.AsSpan(_outStart, n).CopyTo(buffer);
        _outStart += n;
        return n;
    }

    /// <summary>Makes the segment read ahead the current one; false before the first segment, which nothing read ahead.</summary>
    private bool TakeReadAhead()
    {
        if (_nextLength < 0)
        {
            return false;
        }

        (_current, _next) = (_next, _current);
        _currentLength = _nextLength;
        return true;
    }

    /// <summary>Seals the current segment, the last one when nothing (<paramref name="nextRead"/> = 0) follows it.</summary>
    private void Seal(int nextRead)
    {
        _nextLength = nextRead;
        var last = _nextLength == 0;
        _cipher.Encrypt(_index++, last, _current.AsSpan(0, _currentLength), _out);
        _outStart = 0;
        _outEnd = _currentLength + EnvelopeFormat.TagSize;
        _done = last;
    }
}
