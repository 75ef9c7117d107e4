using System.Text.Json;
using Fhirhouse.Nlp.Assertion;
using Fhirhouse.Nlp.Lexicon;
using Fhirhouse.Nlp.Measurements;
using Fhirhouse.Nlp.Sources;

namespace Fhirhouse.Nlp.Fhir;

/// <summary>
/// The Observation of a measurement: final (the value is the one the note records), category from the LOINC code
/// (<see cref="Category"/>), the value as a UCUM Quantity, a panel (blood pressure) as components with no value of its
/// own, effective when the source was written, derived from the source when R4 allows its type there
/// (DocumentReference). A measurement whose label the rules say is negated, hypothetical or another person's makes none.
/// </summary>
internal static class ObservationJson
{
    private const string CategorySystem = "http://terminology.hl7.org/CodeSystem/observation-category";

    // The codes of R4's vital signs profiles (observation-vitalsigns and its children).
    private static readonly HashSet<string> s_vitalSigns = new(
        ["85353-1", "9279-1", "8867-4", "2708-6", "59408-5", "8310-5", "8302-2", "9843-4", "29463-7", "39156-5", "85354-9", "8480-6", "8462-4"],
        StringComparer.Ordinal);

    // Scores a patient or clinician reports: pain severity 0-10.
    private static readonly HashSet<string> s_surveys = new(["72514-3"], StringComparer.Ordinal);

    public static WrittenResource? Write(SourceContext context, string id, SourceText text, MeasurementMention measurement, MentionAssertion? label)
    {
        if (context.Subject is not { } subject
            || label is { Negation: Negation.Negated } or { Temporality: Temporality.Hypothetical } or { Experiencer: Experiencer.Other })
        {
            return null;
        }

        var (category, categoryDisplay) = Category(measurement.Loinc);
        return FhirJson.Resource("Observation", id, w =>
        {
            context.Meta(w);
            context.Extension(w, text, measurement.Start, measurement.End, label?.Rules ?? []);
            w.WriteString("status", "final");
            FhirJson.ConceptList(w, "category", CategorySystem, category, categoryDisplay);
            FhirJson.Concept(w, "code", CodeSystemNames.Loinc, measurement.Loinc, measurement.Display, measurement.Display);
            FhirJson.Reference(w, "subject", subject);
            if (context.Document.Encounter is { } encounter)
            {
                FhirJson.Reference(w, "encounter", encounter);
            }

            FhirJson.String(w, "effectiveDateTime", context.Written);
            var unit = measurement.UnitImplied || measurement.Rescaled || measurement.UnitText.Length == 0 ? measurement.Ucum : measurement.UnitText;
            if (measurement.Components.Count == 0)
            {
                FhirJson.Quantity(w, "valueQuantity", measurement.Value, measurement.Comparator, unit, measurement.Ucum);
            }

            if (context.Document.ResourceType == "DocumentReference")
            {
                FhirJson.ReferenceList(w, "derivedFrom", context.SourceKey);
            }

            if (measurement.Components.Count > 0)
            {
                Components(w, measurement, unit);
            }
        });
    }

    /// <summary>
    /// The category of a LOINC code: vital-signs for the codes of R4's vital signs profiles, survey for a pain score,
    /// laboratory for everything else the measurement table reads (blood tests).
    /// </summary>
    public static (string Code, string Display) Category(string loinc) =>
        s_vitalSigns.Contains(loinc) ? ("vital-signs", "Vital Signs")
        : s_surveys.Contains(loinc) ? ("survey", "Survey")
        : ("laboratory", "Laboratory");

    private static void Components(Utf8JsonWriter w, MeasurementMention measurement, string unit)
    {
        w.WriteStartArray("component");
        foreach (var component in measurement.Components)
        {
            w.WriteStartObject();
            FhirJson.Concept(w, "code", CodeSystemNames.Loinc, component.Loinc, component.Display, component.Display);
            FhirJson.Quantity(w, "valueQuantity", component.Value, measurement.Comparator, unit, measurement.Ucum);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
