using System.Buffers;
using Fhirhouse.Storage;
using ParquetSharp;
using ParquetSharp.IO;

namespace Fhirhouse.Delta.Parquet;

/// <summary>
/// A Parquet object of the store read whole into native memory (decrypted, for an encrypted store) and opened from
/// there: ParquetSharp then reads column chunks without a managed buffer per read (its stream adapter allocates one
/// as large as each chunk), so scanning large files costs no garbage-collected memory. The file owns that memory:
/// <see cref="Reader"/> and everything read through it are valid until <see cref="Dispose"/>, after which
/// <see cref="Reader"/> throws <see cref="ObjectDisposedException"/>.
/// </summary>
public sealed class NativeParquetFile : IDisposable
{
    private const int ReadChunk = 1 << 20;
    private readonly NativeBlock _data;
    private readonly ParquetSharp.IO.Buffer _buffer;
    private readonly BufferReader _input;
    private readonly ParquetFileReader _reader;
    private bool _disposed;

    private NativeParquetFile(NativeBlock data)
    {
        _data = data;
        _buffer = new ParquetSharp.IO.Buffer(data.Start, data.Length);
        try
        {
            _input = new BufferReader(_buffer);
            try
            {
                _reader = new ParquetFileReader(_input);
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
    /// <exception cref="ObjectDisposedException">The file is disposed (its memory is freed).</exception>
    public ParquetFileReader Reader
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _reader;
        }
    }

    /// <summary>Reads the object at <paramref name="key"/> into native memory and opens it.</summary>
    /// <exception cref="InvalidDataException">The object is not a readable Parquet file (the message names it).</exception>
    public static async Task<NativeParquetFile> OpenAsync(IObjectStore store, string key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var stream = await store.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var length = stream.Length;
            var data = new NativeBlock(length);
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

                        CopyToNative(chunk.AsSpan(0, n), data.Start + (nint)read);
                        read += n;
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(chunk, clearArray: true);
                }

                try
                {
                    return new NativeParquetFile(data);
                }
                catch (ParquetException e)
                {
                    throw new InvalidDataException($"'{key}' is not a readable Parquet file: {e.Message}", e);
                }
            }
            catch
            {
                data.Dispose();
                throw;
            }
        }
    }

    private static unsafe void CopyToNative(ReadOnlySpan<byte> bytes, nint target) => bytes.CopyTo(new Span<byte>((void*)target, bytes.Length));

    /// <summary>Closes the reader and frees the file's memory; calling it again does nothing.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _reader.Dispose();
        _input.Dispose();
        _buffer.Dispose();
        _data.Dispose();
    }
}
