using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Fhirhouse.Synthetic.Output;

/// <summary>
/// The resources generated for one patient, as compact UTF-8 JSON in one buffer, in generation order.
/// Generated in parallel, drained in patient order so the output does not depend on thread timing.
/// </summary>
internal sealed class ResourceBatch
{
    private static readonly JsonWriterOptions s_options = new() { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly ArrayBufferWriter<byte> _buffer = new(32 * 1024);
    private readonly List<Entry> _entries = [];
    private readonly Utf8JsonWriter _writer;
    private int _start;
    private string _type = string.Empty;
    private string _id = string.Empty;

    public ResourceBatch() => _writer = new Utf8JsonWriter(_buffer, s_options);

    public int Count => _entries.Count;

    /// <summary>Starts a resource: writes '{', resourceType and id, and returns the writer for the rest.</summary>
    public Utf8JsonWriter Begin(string resourceType, string id)
    {
        _writer.Reset(_buffer);
        _start = _buffer.WrittenCount;
        _type = resourceType;
        _id = id;
        _writer.WriteStartObject();
        _writer.WriteString("resourceType", resourceType);
        _writer.WriteString("id", id);
        return _writer;
    }

    /// <summary>Closes the resource started by <see cref="Begin"/>.</summary>
    public void End()
    {
        _writer.WriteEndObject();
        _writer.Flush();
        _entries.Add(new Entry(_type, _id, _start, _buffer.WrittenCount - _start));
    }

    /// <summary>The resource at <paramref name="index"/>: its type, id and JSON bytes.</summary>
    public (string Type, string Id, ReadOnlyMemory<byte> Json) this[int index]
    {
        get
        {
            var e = _entries[index];
            return (e.Type, e.Id, _buffer.WrittenMemory.Slice(e.Start, e.Length));
        }
    }

    private readonly record struct Entry(string Type, string Id, int Start, int Length);
}
