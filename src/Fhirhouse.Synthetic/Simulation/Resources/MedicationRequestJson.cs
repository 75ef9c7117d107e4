using Fhirhouse.Synthetic.Catalog;

namespace Fhirhouse.Synthetic.Simulation.Resources;

/// <summary>The MedicationRequest resource: an order coded in RxNorm and ATC, named and dosed in the patient's language.</summary>
internal static class MedicationRequestJson
{
    public static void Write(ResourceWriter r, string id, Visit visit, Medication m, DateTime at, string? reasonConditionId, bool completed)
    {
        var french = r.Patient.French;
        var w = r.Begin("MedicationRequest", id, at);
        w.WriteString("status", completed ? "completed" : "active");
        w.WriteString("intent", "order");
        FhirJson.Concept(w, "medicationCodeableConcept", french ? m.NameFr : m.RxNorm.Display, m.RxNorm, m.Atc);
        r.PatientReference(w, "subject");
        r.EncounterReference(w, visit.EncounterId);
        w.WriteString("authoredOn", r.Time(at));
        FhirJson.Reference(w, "requester", "Practitioner/" + visit.Practitioner);
        if (reasonConditionId is not null)
        {
            FhirJson.ReferenceList(w, "reasonReference", r.Ref("Condition", reasonConditionId));
        }

        w.WriteStartArray("dosageInstruction");
        w.WriteStartObject();
        w.WriteString("text", french ? m.DosageFr : m.DosageEn);
        w.WriteEndObject();
        w.WriteEndArray();
        r.End();
    }
}
