using Fhirhouse.Storage;
using ParquetSharp.IO;

namespace Fhirhouse.Delta.Parquet;

/// <summary>
/// Writes a Parquet file into native memory (ParquetSharp's own buffer) and stores it from there: no managed buffer
/// per page written (ParquetSharp's stream adapter allocates one as large as each write) and no growing
/// <see cref="MemoryStream"/>.
/// </summary>
public static class NativeParquetOutput
{
    /// <summary>
    /// Calls <paramref name="write"/> to write a whole Parquet file (a <c>ParquetFileWriter</c> over the given output,
    /// closed before it returns), then stores the bytes at <paramref name="key"/>; returns their length.
    /// </summary>
    public static async Task<long> PutAsync(IObjectStore store, string key, Action<OutputStream> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(write);
        using var output = new BufferOutputStream();
        write(output);
        using var buffer = output.Finish();
        var length = buffer.Size;
        using var content = Open(buffer);
        await store.PutAsync(key, content, cancellationToken).ConfigureAwait(false);
        return length;
    }

    private static unsafe UnmanagedMemoryStream Open(ParquetSharp.IO.Buffer buffer) => new((byte*)buffer.Data, buffer.Size);
}
