namespace Fhirhouse.Storage.Encryption;

/// <summary>A forward-only stream: a new header, then the rest of an existing encrypted object, untouched.</summary>
internal sealed class HeaderSwapStream(byte[] header, Stream body) : Stream
{
    private int _headerRead;

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

    public override int Read(Span<byte> buffer)
    {
        if (_headerRead < header.Length)
        {
            var n = Math.Min(buffer.Length, header.Length - _headerRead);
            header.AsSpan(_headerRead, n).CopyTo(buffer);
            _headerRead += n;
            return n;
        }

        return body.Read(buffer);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _headerRead < header.Length ? Read(buffer.Span) : await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
