using Fhirhouse.Delta.Parquet;
using ParquetSharp;
using Encoding = System.Text.Encoding;

namespace Fhirhouse.Delta.Columnar;

/// <summary>
/// Bytes of the values of one batch of rows, copied end to end into native blocks (never moved, never scanned by the
/// GC), so that Parquet column writers take them by pointer. Each <c>Add</c> returns the <see cref="ByteArray"/> of the
/// copied value, valid until <see cref="Reset"/> or <see cref="Dispose"/>. <see cref="Reset"/> keeps the blocks for the
/// next batch: a batch's memory is reused, whatever the size of the input. Once disposed, every method but
/// <see cref="Dispose"/> throws <see cref="ObjectDisposedException"/>. Not thread-safe.
/// </summary>
public sealed unsafe class NativeArena : IDisposable
{
    private const int BlockBytes = 4 << 20;
    private readonly List<NativeBlock> _blocks = [];
    private int _block = -1;
    private int _used;
    private bool _disposed;

    /// <summary>Bytes held in native memory (the blocks, used or not); 0 once disposed.</summary>
    public long Reserved { get; private set; }

    /// <summary>Copies <paramref name="value"/> into the arena.</summary>
    /// <exception cref="ObjectDisposedException">The arena is disposed.</exception>
    public ByteArray Add(ReadOnlySpan<byte> value)
    {
        var start = Reserve(value.Length);
        value.CopyTo(new Span<byte>((void*)start, value.Length));
        return new ByteArray(start, value.Length);
    }

    /// <summary>Copies <paramref name="value"/> into the arena as UTF-8 (invalid UTF-16 becomes U+FFFD, as <see cref="Encoding.UTF8"/> does).</summary>
    /// <exception cref="ObjectDisposedException">The arena is disposed.</exception>
    public ByteArray AddUtf8(ReadOnlySpan<char> value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        var start = Reserve(length);
        Encoding.UTF8.GetBytes(value, new Span<byte>((void*)start, length));
        return new ByteArray(start, length);
    }

    /// <summary>Copies <paramref name="value"/> into the arena as lowercase hexadecimal text (two bytes of ASCII per byte).</summary>
    /// <exception cref="ObjectDisposedException">The arena is disposed.</exception>
    public ByteArray AddHexLower(ReadOnlySpan<byte> value)
    {
        var length = 2 * value.Length;
        var start = Reserve(length);
        Convert.TryToHexStringLower(value, new Span<byte>((void*)start, length), out _);
        return new ByteArray(start, length);
    }

    /// <summary>Forgets every value (their <see cref="ByteArray"/>s are no longer valid); the blocks stay for reuse.</summary>
    /// <exception cref="ObjectDisposedException">The arena is disposed.</exception>
    public void Reset()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _block = -1;
        _used = 0;
    }

    /// <summary>Frees the native memory; calling it again does nothing.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (var block in _blocks)
        {
            block.Dispose();
        }

        _blocks.Clear();
        Reserved = 0;
        _block = -1;
        _used = 0;
    }

    /// <summary>The start of room for <paramref name="length"/> bytes, written by the caller before it returns.</summary>
    private nint Reserve(int length)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (_block < 0 || _used + length > _blocks[_block].Length)
        {
            if (_block + 1 == _blocks.Count || _blocks[_block + 1].Length < length)
            {
                var block = new NativeBlock(Math.Max(BlockBytes, length));
                _blocks.Insert(_block + 1, block);
                Reserved += block.Length;
            }

            _block++;
            _used = 0;
        }

        var start = _blocks[_block].Start + _used;
        _used += length;
        return start;
    }
}
