using System.Text.Json;
using Fhirhouse.Nlp.Assertion;
using Fhirhouse.Nlp.Medications;
using Fhirhouse.Nlp.Sources;

namespace Fhirhouse.Nlp.Fhir;

/// <summary>
/// The MedicationStatement of a drug the patient takes, took, stopped or is to take (<see cref="Status"/>): the drug
/// coded in ATC, the dosage read (text, timing, route, dose, daily dose as rate, as needed), derived from the source.
/// Another person's drug makes none.
/// </summary>
internal static class MedicationStatementJson
{
    private static readonly HashSet<string> s_timeUnits = new(["s", "min", "h", "d", "wk", "mo", "a"], StringComparer.Ordinal);

    public static WrittenResource? Write(SourceContext context, string id, SourceText text, MedicationMention medication, MentionAssertion assertion)
    {
        if (context.Subject is not { } subject || Status(medication.Status, assertion) is not { } status)
        {
            return null;
        }

        return FhirJson.Resource("MedicationStatement", id, w =>
        {
            context.Meta(w);
            context.Extension(w, text, medication.Start, medication.End, assertion.Rules);
            w.WriteString("status", status);
            FhirJson.Concept(w, "medicationCodeableConcept", medication.Drug.Concept.Codes, medication.Drug.Text);
            FhirJson.Reference(w, "subject", subject);
            if (context.Document.Encounter is { } encounter)
            {
                FhirJson.Reference(w, "context", encounter);
            }

            FhirJson.String(w, "dateAsserted", context.Written);
            FhirJson.ReferenceList(w, "derivedFrom", context.SourceKey);
            if (status != "not-taken")
            {
                Dosage(w, medication);
            }
        });
    }

    /// <summary>
    /// The status of a drug mention: stopped when the text says so; else not-taken when negated, intended when
    /// hypothetical (planned, conditional), unknown when possible, completed when historical, active otherwise. Null
    /// (no resource) for another person's drug.
    /// </summary>
    public static string? Status(MedicationStatus status, MentionAssertion assertion) => (status, assertion) switch
    {
        (_, { Experiencer: Experiencer.Other }) => null,
        (MedicationStatus.Stopped, _) => "stopped",
        (_, { Negation: Negation.Negated }) => "not-taken",
        (_, { Temporality: Temporality.Hypothetical }) => "intended",
        (_, { Negation: Negation.Possible }) => "unknown",
        (_, { Temporality: Temporality.Historical }) => "completed",
        _ => "active",
    };

    private static void Dosage(Utf8JsonWriter w, MedicationMention medication)
    {
        w.WriteStartArray("dosage");
        w.WriteStartObject();
        w.WriteString("text", medication.Text);
        Timing(w, medication);
        if (medication.AsNeededFor is { Length: > 0 } reason)
        {
            w.WriteStartObject("asNeededCodeableConcept");
            w.WriteString("text", reason);
            w.WriteEndObject();
        }
        else if (medication.AsNeeded)
        {
            w.WriteBoolean("asNeededBoolean", true);
        }

        if (medication.Route is { } route)
        {
            FhirJson.Concept(w, "route", MedicationRoute.System, route.Code, route.Display, route.Text);
        }

        if (medication.DoseQuantity is not null || medication.DailyDose is not null)
        {
            w.WriteStartArray("doseAndRate");
            w.WriteStartObject();
            if (medication.DoseQuantity is { } dose)
            {
                FhirJson.Quantity(w, "doseQuantity", dose.Value, null, dose.Unit, dose.Unit);
            }

            if (medication.DailyDose is { } daily)
            {
                FhirJson.Quantity(w, "rateQuantity", daily.Value, null, daily.Unit, daily.Unit);
            }

            w.WriteEndObject();
            w.WriteEndArray();
        }

        w.WriteEndObject();
        w.WriteEndArray();
    }

    private static void Timing(Utf8JsonWriter w, MedicationMention medication)
    {
        var duration = medication.Duration is { Value: >= 0 } d && s_timeUnits.Contains(d.Unit) ? d : null;
        var timing = medication.Timing is { Frequency: >= 1, Period: > 0 } t && s_timeUnits.Contains(t.PeriodUnit) ? t : null;
        var when = medication.Timing?.When ?? [];
        if (duration is null && timing is null && when.Count == 0)
        {
            return;
        }

        w.WriteStartObject("timing");
        w.WriteStartObject("repeat");
        if (duration is not null)
        {
            FhirJson.Quantity(w, "boundsDuration", duration.Value, null, duration.Unit, duration.Unit);
        }

        if (timing is not null)
        {
            w.WriteNumber("frequency", timing.Frequency);
            w.WriteNumber("period", timing.Period);
            w.WriteString("periodUnit", timing.PeriodUnit);
        }

        if (when.Count > 0)
        {
            w.WriteStartArray("when");
            foreach (var slot in when)
            {
                w.WriteStringValue(slot);
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }
}
