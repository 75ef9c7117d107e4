using System.Text.Json;
using Fhirhouse.Synthetic.Catalog;

namespace Fhirhouse.Synthetic.Simulation.Resources;

/// <summary>Observation resources: a measured value (with interpretation and range), the blood pressure panel, a PCR result.</summary>
internal static class ObservationJson
{
    private const string ObservationCategory = "http://terminology.hl7.org/CodeSystem/observation-category";
    private const string Interpretation = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";

    public static void Measured(ResourceWriter r, string id, string encounterId, DateTime at, DateTime issued, Measurement m)
    {
        var w = Start(r, id, encounterId, at, m.Test.Category, m.Test.Loinc.Display, m.Test.Loinc);
        w.WriteString("issued", r.Time(issued));
        FhirJson.Quantity(w, "valueQuantity", m.Value, m.Test.Decimals, m.Test.UcumCode);
        if (m.Test.Category == Labs.Laboratory || m.RangeHigh > 0)
        {
            var flag = m.Value > m.RangeHigh && m.RangeHigh > 0 ? ("H", "High") : m.Value < m.Test.Low ? ("L", "Low") : ("N", "Normal");
            FhirJson.ConceptList(w, "interpretation", new Code(Interpretation, flag.Item1, flag.Item2));
            w.WriteStartArray("referenceRange");
            w.WriteStartObject();
            FhirJson.Quantity(w, "low", m.Test.Low, m.Test.Decimals, m.Test.UcumCode);
            FhirJson.Quantity(w, "high", m.RangeHigh, m.Test.Decimals, m.Test.UcumCode);
            w.WriteEndObject();
            w.WriteEndArray();
        }

        r.End();
    }

    public static void BloodPressure(ResourceWriter r, string id, string encounterId, DateTime at, Measurement systolic, Measurement diastolic)
    {
        var w = Start(r, id, encounterId, at, Labs.VitalSigns, "Blood pressure", Labs.BloodPressurePanel);
        w.WriteStartArray("component");
        foreach (var m in new[] { systolic, diastolic })
        {
            w.WriteStartObject();
            FhirJson.Concept(w, "code", m.Test.Loinc.Display, m.Test.Loinc);
            FhirJson.Quantity(w, "valueQuantity", m.Value, 0, m.Test.UcumCode);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        r.End();
    }

    public static void Pcr(ResourceWriter r, string id, string encounterId, DateTime at, bool detected)
    {
        var w = Start(r, id, encounterId, at, Labs.Laboratory, Labs.Sars2Pcr.Display, Labs.Sars2Pcr);
        var result = detected ? Labs.Detected : Labs.NotDetected;
        FhirJson.Concept(w, "valueCodeableConcept", result.Display, result);
        r.End();
    }

    private static Utf8JsonWriter Start(ResourceWriter r, string id, string encounterId, DateTime at, string category, string text, Code code)
    {
        var w = r.Begin("Observation", id, at);
        w.WriteString("status", "final");
        FhirJson.ConceptList(w, "category", new Code(ObservationCategory, category, category == Labs.VitalSigns ? "Vital Signs" : "Laboratory"));
        FhirJson.Concept(w, "code", text, code);
        r.PatientReference(w, "subject");
        r.EncounterReference(w, encounterId);
        w.WriteString("effectiveDateTime", r.Time(at));
        return w;
    }
}
