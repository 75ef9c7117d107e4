using System.Runtime.InteropServices;

namespace Fhirhouse.Delta.Parquet;

/// <summary>
/// A block of native memory that ParquetSharp reads or writes by pointer (arena text, a Parquet file read whole),
/// owned as a handle: freed once, by <see cref="SafeHandle.Dispose()"/> or by its critical finalizer, with the
/// GC told of its size while it lives.
/// </summary>
internal sealed unsafe class NativeBlock : SafeHandle
{
    /// <summary>Allocates <paramref name="length"/> bytes (at least one), uninitialised.</summary>
    public NativeBlock(long length)
        : base(0, ownsHandle: true)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Length = length;
        Pressure = Math.Max(1, length);
        SetHandle((nint)NativeMemory.Alloc((nuint)Pressure));
        GC.AddMemoryPressure(Pressure);
    }

    /// <summary>Bytes usable from <see cref="Start"/>.</summary>
    public long Length { get; }

    public override bool IsInvalid => handle == 0;

    /// <summary>The first byte; valid while the block is not disposed (its owner checks that).</summary>
    public nint Start => handle;

    private long Pressure { get; }

    protected override bool ReleaseHandle()
    {
        NativeMemory.Free((void*)handle);
        GC.RemoveMemoryPressure(Pressure);
        return true;
    }
}
