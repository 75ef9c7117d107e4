using System.Buffers;
using System.IO.Compression;
using System.Runtime.CompilerServices;

namespace Fhirhouse.Fhir.Ndjson;

/// <summary>
/// Streams the lines of NDJSON (optionally gzip-compressed) without holding more than one buffer: blank lines are
/// skipped but counted, CRLF and a leading UTF-8 BOM are accepted. A line longer than the limit is an error naming it,
/// or, when the caller asks, an oversized line that is passed over.
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
        ArgumentNullException.ThrowIfNull(seekable);
        Span<byte> magic = stackalloc byte[2];
        var n = seekable.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        seekable.Position = 0;
        return IsGzip(magic[..n]) ? new GZipStream(seekable, CompressionMode.Decompress) : seekable;
    }

    /// <summary>
    /// <see cref="Decompressed(Stream)"/> reading the magic bytes asynchronously: for streams of object stores, which
    /// may have no synchronous read (S3).
    /// </summary>
    public static async Task<Stream> DecompressedAsync(Stream seekable, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(seekable);
        var magic = new byte[2];
        var n = await seekable.ReadAtLeastAsync(magic, 2, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        seekable.Position = 0;
        return IsGzip(magic.AsSpan(0, n)) ? new GZipStream(seekable, CompressionMode.Decompress) : seekable;
    }

    private static bool IsGzip(ReadOnlySpan<byte> magic) => magic is [0x1f, 0x8b];

    /// <summary>
    /// The non-blank lines of <paramref name="stream"/>, in order. A line longer than <paramref name="maxLineBytes"/>
    /// throws <see cref="InvalidDataException"/> naming it, or, with <paramref name="passOversizedLines"/>, is given as
    /// an oversized line (<see cref="NdjsonLine.IsOversized"/>, its length, no bytes) and the lines after it follow;
    /// memory stays bounded by the limit either way.
    /// </summary>
    public static async IAsyncEnumerable<NdjsonLine> ReadAsync(
        Stream stream, int maxLineBytes = DefaultMaxLineBytes, bool passOversizedLines = false, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineBytes, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxLineBytes, Array.MaxLength - 1);
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(1 << 16, maxLineBytes + 1L));
        try
        {
            var start = 0;
            var end = 0;
            long line = 0;
            long dropped = 0;
            var first = true;
            var eof = false;
            while (true)
            {
                var newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
                if (newline < 0 && !eof)
                {
                    if (end - start > maxLineBytes)
                    {
                        // Over the limit with no end in sight: its bytes are counted and let go until its line break.
                        if (!passOversizedLines)
                        {
                            throw new InvalidDataException($"line {line + 1} is longer than {maxLineBytes} bytes");
                        }

                        dropped += end - start;
                        start = end = 0;
                    }
                    else if (start > 0)
                    {
                        Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                        end -= start;
                        start = 0;
                    }

                    if (end == buffer.Length)
                    {
                        var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(maxLineBytes + 1L, buffer.Length * 2L));
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

                if (newline < 0 && start == end && dropped == 0)
                {
                    yield break;
                }

                var lineEnd = newline < 0 ? end : newline;
                line++;
                var segment = buffer.AsMemory(start, lineEnd - start);
                start = newline < 0 ? end : newline + 1;
                if (first && dropped == 0 && segment.Span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
                {
                    segment = segment[3..];
                }

                first = false;
                if (segment.Length > 0 && segment.Span[^1] == (byte)'\r')
                {
                    segment = segment[..^1];
                }

                if (dropped > 0 || segment.Length > maxLineBytes)
                {
                    if (!passOversizedLines)
                    {
                        throw new InvalidDataException($"line {line} is longer than {maxLineBytes} bytes");
                    }

                    var length = dropped + segment.Length;
                    dropped = 0;
                    yield return new NdjsonLine(line, ReadOnlyMemory<byte>.Empty, length);
                    continue;
                }

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
