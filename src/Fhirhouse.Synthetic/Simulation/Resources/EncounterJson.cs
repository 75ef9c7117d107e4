using Fhirhouse.Synthetic.Catalog;

namespace Fhirhouse.Synthetic.Simulation.Resources;

/// <summary>The Encounter resource of a visit: class (v3-ActCode), SNOMED CT type, practitioner, period, reason, and a readmission flagged in <c>hospitalization.reAdmission</c> (v2-0092 R).</summary>
internal static class EncounterJson
{
    private const string ActCode = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

    public static void Write(ResourceWriter r, Visit visit)
    {
        var w = r.Begin("Encounter", visit.EncounterId, visit.End);
        w.WriteString("status", "finished");
        var (code, display) = visit.Class switch
        {
            EncounterClass.Emergency => ("EMER", "emergency"),
            EncounterClass.Inpatient => ("IMP", "inpatient encounter"),
            _ => ("AMB", "ambulatory"),
        };
        w.WriteStartObject("class");
        w.WriteString("system", ActCode);
        w.WriteString("code", code);
        w.WriteString("display", display);
        w.WriteEndObject();
        var type = visit.Class switch
        {
            EncounterClass.Emergency => new Code(Code.Snomed, "50849002", "Emergency room admission"),
            EncounterClass.Inpatient => new Code(Code.Snomed, "183452005", "Emergency hospital admission"),
            _ => visit.Diagnosis is null ? new Code(Code.Snomed, "185349003", "Encounter for check up") : new Code(Code.Snomed, "185345009", "Encounter for symptom"),
        };
        FhirJson.ConceptList(w, "type", type);
        r.PatientReference(w, "subject");
        w.WriteStartArray("participant");
        w.WriteStartObject();
        FhirJson.Reference(w, "individual", "Practitioner/" + visit.Practitioner);
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteStartObject("period");
        w.WriteString("start", r.Time(visit.Start));
        w.WriteString("end", r.Time(visit.End));
        w.WriteEndObject();
        if (visit.Diagnosis is not null)
        {
            FhirJson.ConceptList(w, "reasonCode", visit.Diagnosis.Snomed);
        }

        if (visit.Readmission)
        {
            w.WriteStartObject("hospitalization");
            FhirJson.Concept(w, "reAdmission", null, new Code("http://terminology.hl7.org/CodeSystem/v2-0092", "R", "Re-admission"));
            w.WriteEndObject();
        }

        FhirJson.Reference(w, "serviceProvider", r.Organization);
        r.End();
    }
}
