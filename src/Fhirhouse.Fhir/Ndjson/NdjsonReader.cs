using System.Buffers;
using System.IO.Compression;
using System.Runtime.CompilerServices;

namespace Fhirhouse.Fhir.Ndjson;

/// <summary>
/// Streams the lines of NDJSON (optionally gzip-compressed) without holding more than one buffer: blank lines are
/// skipped but counted, CRLF and a leading UTF-8 BOM are accepted. A line longer than the limit is an error naming it.
/// </summary>
public static class NdjsonReader
{
    /// <summary>The default longest line accepted (64 MiB: one resource with large attachments).</summary>
    public const int DefaultMaxLineBytes = 64 * 1024 * 1024;

    /// <summary>Opens a file, transparently decompressing it when it starts with the gzip magic bytes.</summary>
    public static Stream OpenFile(string path) =>
        Decompressed(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan));

    /// <summary>The stream itself, or a decompressing view of it when it starts with the gzip magic bytes (it must be seekable).</summary>
    public static Stream Decompressed(Stream seekable)
    {
        Span<byte> magic = stackalloc byte[2];
        var n = seekable.Read(magic);
        seekable.Position = 0;
        return n == 2 && magic[0] == 0x1f && magic[1] == 0x8b ? new GZipStream(seekable, CompressionMode.Decompress) : seekable;
    }

    /// <summary>The non-blank lines of <paramref name="stream"/>, in order.</summary>
    public static async IAsyncEnumerable<NdjsonLine> ReadAsync(Stream stream, int maxLineBytes = DefaultMaxLineBytes, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            var start = 0;
            var end = 0;
            long line = 0;
            var first = true;
            var eof = false;
            while (true)
            {
                var newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
                if (newline < 0 && !eof)
                {
                    if (start > 0)
                    {
                        Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                        end -= start;
                        start = 0;
                    }

                    if (end == buffer.Length)
                    {
                        if (buffer.Length >= maxLineBytes)
                        {
                            throw new InvalidDataException($"line {line + 1} is longer than {maxLineBytes} bytes");
                        }

                        var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(maxLineBytes, buffer.Length * 2));
                        Buffer.BlockCopy(buffer, 0, bigger, 0, end);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }

                    var read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        eof = true;
                    }

                    end += read;
                    continue;
                }

                if (newline < 0 && start == end)
                {
                    yield break;
                }

                var lineEnd = newline < 0 ? end : newline;
                line++;
                var segment = buffer.AsMemory(start, lineEnd - start);
                if (first)
                {
                    first = false;
                    if (segment.Span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
                    {
                        segment = segment[3..];
                    }
                }

                if (segment.Length > 0 && segment.Span[^1] == (byte)'\r')
                {
                    segment = segment[..^1];
                }

                start = newline < 0 ? end : newline + 1;
                if (!IsBlank(segment.Span))
                {
                    yield return new NdjsonLine(line, segment);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool IsBlank(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
            {
                return false;
            }
        }

        return true;
    }
}
