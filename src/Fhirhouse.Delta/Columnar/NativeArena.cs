using System.Runtime.InteropServices;
using ParquetSharp;

namespace Fhirhouse.Delta.Columnar;

/// <summary>
/// Bytes of the values of one batch of rows, copied end to end into native blocks (never moved, never scanned by the
/// GC), so that Parquet column writers take them by pointer. <see cref="Reset"/> keeps the blocks for the next batch:
/// a batch's memory is reused, whatever the size of the input. Not thread-safe.
/// </summary>
public sealed unsafe class NativeArena : IDisposable
{
    private const int BlockBytes = 4 << 20;
    private readonly List<(nint Start, int Capacity)> _blocks = [];
    private int _block = -1;
    private int _used;

    /// <summary>Bytes held in native memory (the blocks, used or not).</summary>
    public long Reserved { get; private set; }

    /// <summary>Copies <paramref name="value"/> into the arena.</summary>
    public ByteArray Add(ReadOnlySpan<byte> value)
    {
        var target = Reserve(value.Length);
        value.CopyTo(new Span<byte>((void*)target, value.Length));
        return new ByteArray(target, value.Length);
    }

    /// <summary>Room for <paramref name="length"/> bytes, to be written by the caller.</summary>
    public nint Reserve(int length)
    {
        while (_block < 0 || _used + length > _blocks[_block].Capacity)
        {
            if (_block + 1 == _blocks.Count || _blocks[_block + 1].Capacity < length)
            {
                var capacity = Math.Max(BlockBytes, length);
                _blocks.Insert(_block + 1, ((nint)NativeMemory.Alloc((nuint)capacity), capacity));
                Reserved += capacity;
                GC.AddMemoryPressure(capacity);
            }

            _block++;
            _used = 0;
        }

        var start = _blocks[_block].Start + _used;
        _used += length;
        return start;
    }

    /// <summary>Forgets every value; the blocks stay for reuse.</summary>
    public void Reset()
    {
        _block = -1;
        _used = 0;
    }

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    ~NativeArena() => Free();

    private void Free()
    {
        foreach (var (start, capacity) in _blocks)
        {
            NativeMemory.Free((void*)start);
            GC.RemoveMemoryPressure(capacity);
        }

        _blocks.Clear();
        Reserved = 0;
        Reset();
    }
}
