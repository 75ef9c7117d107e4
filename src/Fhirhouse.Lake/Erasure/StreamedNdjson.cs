using System.Buffers;
using System.IO.Compression;
using System.Security.Cryptography;

namespace Fhirhouse.Lake.Erasure;

/// <summary>
/// An NDJSON object stripped of a patient as a stream, in memory bounded by its longest line rather than its size:
/// lines of theirs are emptied (not removed, so the line numbers other rows point at stay true), gzip content is read
/// through and written back compressed, and what is written is counted and hashed (SHA-256) on the way out. The same
/// input always gives the same bytes, so a first pass to <see cref="Stream.Null"/> learns the content address of the
/// object a second pass writes.
/// </summary>
public static class StreamedNdjson
{
    private const int ChunkBytes = 1 << 20;
    private static readonly SearchValues<byte> s_blank = SearchValues.Create(" \t\r\n"u8);

    /// <summary>What stripping an object did: whether anything of the patient was in it, what is left, and the output's length and hash.</summary>
    public sealed record Outcome(bool Changed, bool Empty, long Removed, IReadOnlyList<long> EmptiedLines, long Length, byte[] Sha256);

    /// <summary>
    /// Reads the object <paramref name="open"/> gives (plain or gzip, told by its first bytes) and writes it to
    /// <paramref name="output"/> without <paramref name="matcher"/>'s patient.
    /// </summary>
    public static async Task<Outcome> StripAsync(Func<CancellationToken, Task<Stream>> open, Stream output, PatientMatcher matcher, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(open);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(matcher);
        bool gzip;
        await using (var probe = await open(cancellationToken).ConfigureAwait(false))
        {
            var magic = new byte[2];
            gzip = await probe.ReadAtLeastAsync(magic, 2, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        }

        await using var stored = await open(cancellationToken).ConfigureAwait(false);
        await using var input = gzip ? new GZipStream(stored, CompressionMode.Decompress) : stored;
        using var hashing = new HashingStream(output);
        var state = new State();
        if (gzip)
        {
            await using (var compress = new GZipStream(hashing, CompressionLevel.Optimal, leaveOpen: true))
            {
                await CopyLinesAsync(input, compress, matcher, state, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            await CopyLinesAsync(input, hashing, matcher, state, cancellationToken).ConfigureAwait(false);
        }

        await hashing.FlushAsync(cancellationToken).ConfigureAwait(false);
        return new Outcome(state.Changed, !state.AnyContent, state.Removed, state.EmptiedLines, hashing.Length, hashing.Hash());
    }

    private sealed class State
    {
        public bool Changed { get; set; }

        public bool AnyContent { get; set; }

        public long Removed { get; set; }

        public List<long> EmptiedLines { get; } = [];
    }

    private static async Task CopyLinesAsync(Stream input, Stream output, PatientMatcher matcher, State state, CancellationToken cancellationToken)
    {
        var buffer = new byte[ChunkBytes];
        int start = 0, end = 0;
        var eof = false;
        long number = 0;
        var pending = new MemoryStream();
        while (true)
        {
            var newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
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
                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                var read = await input.ReadAsync(buffer.AsMemory(end), cancellationToken).ConfigureAwait(false);
                eof = read == 0;
                end += read;
                continue;
            }

            var lineEnd = newline < 0 ? end : start + newline;
            number++;
            WriteLine(buffer.AsSpan(start, lineEnd - start), number, pending, matcher, state);
            if (newline >= 0)
            {
                pending.WriteByte((byte)'\n');
            }

            if (pending.Length >= ChunkBytes || newline < 0)
            {
                await output.WriteAsync(pending.GetBuffer().AsMemory(0, (int)pending.Length), cancellationToken).ConfigureAwait(false);
                pending.SetLength(0);
            }

            if (newline < 0)
            {
                return;
            }

            start = lineEnd + 1;
        }
    }

    private static void WriteLine(ReadOnlySpan<byte> line, long number, MemoryStream pending, PatientMatcher matcher, State state)
    {
        var n = 0;
        var stripped = line.Length == 0 ? null : matcher.Strip(line, out n);
        if (stripped is null)
        {
            pending.Write(line);
            state.AnyContent |= line.IndexOfAnyExcept(s_blank) >= 0;
            return;
        }

        state.Changed = true;
        state.Removed += n;
        pending.Write(stripped);
        state.AnyContent |= stripped.AsSpan().IndexOfAnyExcept(s_blank) >= 0;
        if (stripped.Length == 0)
        {
            state.EmptiedLines.Add(number);
        }
    }

    /// <summary>A write-only pass-through that counts and hashes what goes to the inner stream (left open).</summary>
    private sealed class HashingStream(Stream inner) : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public byte[] Hash() => _hash.GetHashAndReset();

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _hash.AppendData(buffer);
            _length += buffer.Length;
            inner.Write(buffer);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _hash.AppendData(buffer.Span);
            _length += buffer.Length;
            await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _hash.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
