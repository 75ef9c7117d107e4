using Fhirhouse.Synthetic.Catalog;

namespace Fhirhouse.Synthetic.Simulation.Resources;

/// <summary>The Consent resource: an active opt-in permitting research (v3-ActReason HRESCH).</summary>
internal static class ConsentJson
{
    private const string ActCode = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

    public static void WriteResearch(ResourceWriter r, string id, DateTime signed)
    {
        var w = r.Begin("Consent", id, signed);
        w.WriteString("status", "active");
        FhirJson.Concept(w, "scope", null, new Code("http://terminology.hl7.org/CodeSystem/consentscope", "research", "Research"));
        FhirJson.ConceptList(w, "category", new Code("http://loinc.org", "57016-8", "Privacy policy acknowledgment Document"));
        r.PatientReference(w, "patient");
        w.WriteString("dateTime", r.Time(signed));
        FhirJson.Concept(w, "policyRule", null, new Code(ActCode, "OPTIN", "opt-in"));
        w.WriteStartObject("provision");
        w.WriteString("type", "permit");
        w.WriteStartArray("purpose");
        FhirJson.CodingObject(w, new Code("http://terminology.hl7.org/CodeSystem/v3-ActReason", "HRESCH", "healthcare research"));
        w.WriteEndArray();
        w.WriteEndObject();
        r.End();
    }
}
