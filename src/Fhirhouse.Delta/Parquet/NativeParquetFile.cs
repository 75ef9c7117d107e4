using System.Buffers;
using System.Runtime.InteropServices;
using Fhirhouse.Storage;
using ParquetSharp;
using ParquetSharp.IO;

namespace Fhirhouse.Delta.Parquet;

/// <summary>
/// A Parquet object of the store read whole into native memory (decrypted, for an encrypted store) and opened from
/// there: ParquetSharp then reads column chunks without a managed buffer per read (its stream adapter allocates one
/// as large as each chunk), so scanning large files costs no garbage-collected memory.
/// </summary>
public sealed class NativeParquetFile : IDisposable
{
    private const int ReadChunk = 1 << 20;
    private readonly nint _data;
    private readonly long _pressure;
    private readonly ParquetSharp.IO.Buffer _buffer;
    private readonly BufferReader _input;
    private bool _disposed;

    private NativeParquetFile(nint data, long length)
    {
        _data = data;
        _pressure = Math.Max(1, length);
        _buffer = new ParquetSharp.IO.Buffer(data, length);
        try
        {
            _input = new BufferReader(_buffer);
            try
            {
                Reader = new ParquetFileReader(_input);
            }
            catch
            {
                _input.Dispose();
                throw;
            }
        }
        catch
        {
            _buffer.Dispose();
            throw;
        }
    }

    /// <summary>The reader over the file; valid until this is disposed.</summary>
    public ParquetFileReader Reader { get; }

    /// <summary>Reads the object at <paramref name="key"/> into native memory and opens it.</summary>
    /// <exception cref="InvalidDataException">The object is not a readable Parquet file (the message names it).</exception>
    public static async Task<NativeParquetFile> OpenAsync(IObjectStore store, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var stream = await store.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var length = stream.Length;
            var data = AllocateNative(length);
            try
            {
                // Read asynchronously (an S3 stream has no synchronous read) through a pooled buffer, cleared after, into native memory.
                var chunk = ArrayPool<byte>.Shared.Rent((int)Math.Min(ReadChunk, Math.Max(1, length)));
                try
                {
                    long read = 0;
                    while (read < length)
                    {
                        var n = await stream.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, length - read)), cancellationToken).ConfigureAwait(false);
                        if (n == 0)
                        {
                            throw new InvalidDataException($"'{key}' ended after {read} of its {length} bytes.");
                        }

                        CopyToNative(chunk.AsSpan(0, n), data + (nint)read);
                        read += n;
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(chunk, clearArray: true);
                }

                return Open(data, length, key);
            }
            catch
            {
                FreeNative(data);
                throw;
            }
        }
    }

    private static unsafe nint AllocateNative(long length) => (nint)NativeMemory.Alloc((nuint)Math.Max(1, length));

    private static unsafe void FreeNative(nint data) => NativeMemory.Free((void*)data);

    private static unsafe void CopyToNative(ReadOnlySpan<byte> bytes, nint target) => bytes.CopyTo(new Span<byte>((void*)target, bytes.Length));

    /// <summary>Opens the file read into <paramref name="data"/>; the caller frees it when this throws.</summary>
    private static NativeParquetFile Open(nint data, long length, string key)
    {
        GC.AddMemoryPressure(Math.Max(1, length));
        try
        {
            return new NativeParquetFile(data, length);
        }
        catch (ParquetException e)
        {
            GC.RemoveMemoryPressure(Math.Max(1, length));
            throw new InvalidDataException($"'{key}' is not a readable Parquet file: {e.Message}", e);
        }
    }

    public unsafe void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Reader.Dispose();
        _input.Dispose();
        _buffer.Dispose();
        NativeMemory.Free((void*)_data);
        GC.RemoveMemoryPressure(_pressure);
    }
}
