using Fhirhouse.Synthetic.Catalog;

namespace Fhirhouse.Synthetic.Simulation.Resources;

/// <summary>The Procedure resource: a completed SNOMED CT procedure, its performed period and reason.</summary>
internal static class ProcedureJson
{
    public static void Write(ResourceWriter r, string id, string encounterId, Code code, DateTime performedStart, DateTime performedEnd, string? reasonConditionId)
    {
        var w = r.Begin("Procedure", id, performedEnd);
        w.WriteString("status", "completed");
        FhirJson.Concept(w, "code", code.Display, code);
        r.PatientReference(w, "subject");
        r.EncounterReference(w, encounterId);
        w.WriteStartObject("performedPeriod");
        w.WriteString("start", r.Time(performedStart));
        w.WriteString("end", r.Time(performedEnd));
        w.WriteEndObject();
        if (reasonConditionId is not null)
        {
            FhirJson.ReferenceList(w, "reasonReference", r.Ref("Condition", reasonConditionId));
        }

        r.End();
    }
}
