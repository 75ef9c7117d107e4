using System.Text.Encodings.Web;
using System.Text.Json;
using Fhirhouse.Synthetic.Catalog;
using Fhirhouse.Synthetic.Messages;
using Fhirhouse.Synthetic.Notes;

namespace Fhirhouse.Synthetic.Output;

/// <summary>
/// Writes <c>notes-ground-truth.ndjson</c>: one line per note or patient message, with the resource holding the text
/// (<c>resource</c>; also <c>documentReference</c> for a note, <c>communication</c> and <c>channel</c> for a message),
/// patient, encounter (absent for a portal message), language, and every mention (concept key, its SNOMED CT and ICD-10
/// codes, text, offsets, certainty, temporality, experiencer, assertion). Offsets are UTF-16 code units into the
/// decoded note or the message's <c>payload[0].contentString</c> (the texts hold only BMP characters, so they are also
/// code point offsets).
/// </summary>
internal sealed class GroundTruthWriter : IDisposable
{
    private readonly FileStream _file;
    private readonly Utf8JsonWriter _writer;

    public GroundTruthWriter(string path)
    {
        _file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1 << 16);
        _writer = new Utf8JsonWriter(_file, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    public void Write(NoteTruth note)
    {
        _writer.Reset(_file);
        _writer.WriteStartObject();
        var resource = "DocumentReference/" + note.DocumentReferenceId;
        _writer.WriteString("resource", resource);
        _writer.WriteString("documentReference", resource);
        _writer.WriteString("patient", "Patient/" + note.PatientId);
        _writer.WriteString("encounter", "Encounter/" + note.EncounterId);
        _writer.WriteString("language", note.Language);
        WriteMentions(note.Mentions);
    }

    public void Write(MessageTruth message)
    {
        _writer.Reset(_file);
        _writer.WriteStartObject();
        var resource = "Communication/" + message.CommunicationId;
        _writer.WriteString("resource", resource);
        _writer.WriteString("communication", resource);
        _writer.WriteString("channel", MessageChannels.CodeOf(message.Channel).Value);
        _writer.WriteString("patient", "Patient/" + message.PatientId);
        if (message.EncounterId is { } encounter)
        {
            _writer.WriteString("encounter", "Encounter/" + encounter);
        }

        _writer.WriteString("language", message.Language);
        WriteMentions(message.Mentions);
    }

    public void Dispose()
    {
        _writer.Dispose();
        _file.Flush(flushToDisk: true);
        _file.Dispose();
    }

    private static string Lower(string s) => s.ToLowerInvariant();

    /// <summary>Writes the mentions array, closes the line's object and ends the line.</summary>
    private void WriteMentions(IReadOnlyList<NoteMention> mentions)
    {
        _writer.WriteStartArray("mentions");
        foreach (var m in mentions)
        {
            var concept = Concepts.ByKey(m.Concept);
            _writer.WriteStartObject();
            _writer.WriteString("concept", m.Concept);
            _writer.WriteString("snomed", concept.Snomed.Value);
            _writer.WriteString("icd10", concept.Icd10.Value);
            _writer.WriteString("text", m.Text);
            _writer.WriteNumber("start", m.Start);
            _writer.WriteNumber("end", m.End);
            _writer.WriteString("certainty", Lower(m.Certainty.ToString()));
            _writer.WriteString("temporality", Lower(m.Temporality.ToString()));
            _writer.WriteString("experiencer", Lower(m.Experiencer.ToString()));
            _writer.WriteString("assertion", m.Assertion);
            _writer.WriteEndObject();
        }

        _writer.WriteEndArray();
        _writer.WriteEndObject();
        _writer.Flush();
        _file.WriteByte((byte)'\n');
    }
}
