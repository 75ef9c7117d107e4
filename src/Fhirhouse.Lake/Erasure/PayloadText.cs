using System.Buffers;
using System.IO.Compression;

namespace Fhirhouse.Lake.Erasure;

/// <summary>
/// An object's content as NDJSON lines (or one JSON document), stripped of a patient: lines of theirs are emptied, not
/// removed, so the line numbers other rows point at (bronze <c>raw_line</c>, quarantine locations) stay true.
/// gzip content is read through and written back compressed.
/// </summary>
public static class PayloadText
{
    private static readonly SearchValues<byte> s_blank = SearchValues.Create(" \t\r\n"u8);

    /// <summary>True for keys holding one JSON document (<c>.json</c>, <c>.json.gz</c>) rather than NDJSON.</summary>
    public static bool IsSingleDocument(string key) =>
        key.EndsWith(".json", StringComparison.Ordinal) || key.EndsWith(".json.gz", StringComparison.Ordinal);

    /// <summary>
    /// The content without the patient, or null when nothing of theirs is in it; <paramref name="lines"/> lists the line
    /// numbers (1-based) emptied (NDJSON only: a whole document has no lines) and <paramref name="removed"/> counts resources or entries taken out; <paramref name="empty"/>
    /// is true when nothing but blank lines is left.
    /// </summary>
    public static byte[]? Strip(byte[] stored, bool singleDocument, PatientMatcher matcher, out List<long> lines, out long removed, out bool empty)
    {
        lines = [];
        removed = 0;
        empty = false;
        var gzip = stored.Length > 2 && stored[0] == 0x1f && stored[1] == 0x8b;
        var content = gzip ? Gunzip(stored) : stored;
        byte[] result;
        if (singleDocument)
        {
            var stripped = matcher.Strip(content, out var n);
            if (stripped is null)
            {
                return null;
            }

            removed = n;
            result = stripped;
        }
        else
        {
            var output = new MemoryStream(content.Length);
            var start = 0;
            long number = 0;
            var changed = false;
            while (start <= content.Length)
            {
                var newline = Array.IndexOf(content, (byte)'\n', start);
                var end = newline < 0 ? content.Length : newline;
                number++;
                var line = content.AsSpan(start, end - start);
                var n = 0;
                var stripped = line.Length == 0 ? null : matcher.Strip(line, out n);
                if (stripped is null)
                {
                    output.Write(line);
                }
                else
                {
                    changed = true;
                    removed += n;
                    output.Write(stripped);
                    if (stripped.Length == 0)
                    {
                        lines.Add(number);
                    }
                }

                if (newline < 0)
                {
                    break;
                }

                output.WriteByte((byte)'\n');
                start = newline + 1;
            }

            if (!changed)
            {
                return null;
            }

            result = output.ToArray();
        }

        empty = result.AsSpan().IndexOfAnyExcept(s_blank) < 0;
        return gzip ? Gzip(result) : result;
    }

    private static byte[] Gunzip(byte[] compressed)
    {
        using var input = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    private static byte[] Gzip(byte[] plain)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(plain);
        }

        return output.ToArray();
    }
}
