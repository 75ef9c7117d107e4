namespace Fhirhouse.Ingest.Sources.Kafka;

/// <summary>A batch of message values as one NDJSON payload: line N is the batch's message N.</summary>
internal static class KafkaPayload
{
    /// <summary>
    /// Joins the values one per line. A raw CR or LF can only be whitespace between JSON tokens (inside strings JSON
    /// escapes them), so it becomes a space: the line parses as the message did. A null value (a tombstone) is a
    /// blank line, which landing skips.
    /// </summary>
    public static byte[] Ndjson(IEnumerable<byte[]?> values)
    {
        using var buffer = new MemoryStream();
        foreach (var value in values)
        {
            if (value is not null)
            {
                var start = buffer.Position;
                buffer.Write(value);
                var written = buffer.GetBuffer().AsSpan((int)start, value.Length);
                written.Replace((byte)'\n', (byte)' ');
                written.Replace((byte)'\r', (byte)' ');
            }

            buffer.WriteByte((byte)'\n');
        }

        return buffer.ToArray();
    }
}
