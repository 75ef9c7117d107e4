using System.Text;
using Fhirhouse.Synthetic.Notes;

namespace Fhirhouse.Synthetic.Simulation.Resources;

/// <summary>The DocumentReference resource of a visit's note: the text as a base64 plain-text attachment in the note's language.</summary>
internal static class DocumentReferenceJson
{
    public static void Write(ResourceWriter r, string id, Visit visit, NoteTruth note)
    {
        var at = visit.End;
        var w = r.Begin("DocumentReference", id, at);
        w.WriteString("status", "current");
        w.WriteString("docStatus", "final");
        var type = NoteComposer.DocumentType(visit.Class);
        FhirJson.Concept(w, "type", type.Display, type);
        r.PatientReference(w, "subject");
        w.WriteString("date", r.Time(at));
        FhirJson.ReferenceList(w, "author", "Practitioner/" + visit.Practitioner);
        w.WriteStartArray("content");
        w.WriteStartObject();
        w.WriteStartObject("attachment");
        w.WriteString("contentType", "text/plain; charset=utf-8");
        w.WriteString("language", note.Language);
        w.WriteBase64String("data", Encoding.UTF8.GetBytes(note.Text));
        w.WriteString("title", type.Display);
        w.WriteString("creation", r.Time(at));
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteStartObject("context");
        FhirJson.ReferenceList(w, "encounter", r.Ref("Encounter", visit.EncounterId));
        w.WriteEndObject();
        r.End();
    }
}
