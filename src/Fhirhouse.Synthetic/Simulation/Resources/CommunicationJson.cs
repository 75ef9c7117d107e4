using Fhirhouse.Synthetic.Messages;

namespace Fhirhouse.Synthetic.Simulation.Resources;

/// <summary>
/// The Communication resource of a patient message: completed, in the patient's language (Resource.language fr-FR or
/// en-GB), its channel as category (Fhirhouse communication-channel), subject, the emergency encounter of a triage chat,
/// sent, sender and recipient, the reply's inResponseTo, and the whole text as one contentString payload.
/// </summary>
internal static class CommunicationJson
{
    public static void Write(ResourceWriter r, PlannedMessage message)
    {
        var truth = message.Truth;
        var w = r.Begin("Communication", truth.CommunicationId, message.Sent);
        w.WriteString("language", truth.Language == "fr" ? "fr-FR" : "en-GB");
        if (message.InResponseTo is { } original)
        {
            FhirJson.ReferenceList(w, "inResponseTo", original);
        }

        w.WriteString("status", "completed");
        FhirJson.ConceptList(w, "category", MessageChannels.CodeOf(truth.Channel));
        r.PatientReference(w, "subject");
        if (truth.EncounterId is { } encounter)
        {
            r.EncounterReference(w, encounter);
        }

        w.WriteString("sent", r.Time(message.Sent));
        FhirJson.ReferenceList(w, "recipient", message.Recipient);
        FhirJson.Reference(w, "sender", message.Sender);
        w.WriteStartArray("payload");
        w.WriteStartObject();
        w.WriteString("contentString", truth.Text);
        w.WriteEndObject();
        w.WriteEndArray();
        r.End();
    }
}
