using System.Text.Json;
using Fhirhouse.Nlp.Assertion;
using Fhirhouse.Nlp.Lexicon;
using Fhirhouse.Nlp.Sources;

namespace Fhirhouse.Nlp.Fhir;

/// <summary>
/// Writes what the engine read in a source resource's texts as FHIR R4 resources, and retracts them when a later run no
/// longer finds them. Pure: no I/O, the same input always gives the same output. The rules (which mention makes which
/// resource, ids, meta, the <c>nlp-mention</c> extension, Provenance and Device) are in docs/nlp.md, "FHIR output".
/// </summary>
public static class NlpFhirWriter
{
    /// <summary>The resource types <see cref="Retract"/> accepts: those a mention makes.</summary>
    public static IReadOnlySet<string> MentionResourceTypes { get; } = new HashSet<string>(
        ["Condition", "FamilyMemberHistory", "Procedure", "Observation", "MedicationStatement"], StringComparer.Ordinal);

    /// <summary>
    /// The resources made from <paramref name="texts"/> (each the reading of one of <paramref name="document"/>'s texts),
    /// in text order, then the Provenance and the Device when any was made; and every mention found, with the resource
    /// that holds it. Resources are updated at <paramref name="document"/>'s <c>meta.lastUpdated</c> when it is a valid
    /// instant, else at <paramref name="fallbackUpdated"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A mention's span is not inside its text, or the engine version is empty.</exception>
    public static NlpFhirOutput Write(SourceDocument document, IReadOnlyList<TextAnnotation> texts, string engineVersion, DateTimeOffset fallbackUpdated)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentException.ThrowIfNullOrWhiteSpace(engineVersion);
        var context = SourceContext.Of(document, engineVersion, fallbackUpdated);
        var found = new List<(int Text, int Start, int Order, MentionOutput Mention, WrittenResource? Resource)>();
        for (var i = 0; i < texts.Count; i++)
        {
            Read(context, i, texts[i], found);
        }

        found.Sort((a, b) => (a.Text, a.Start, a.Order).CompareTo((b.Text, b.Start, b.Order)));
        var resources = new List<WrittenResource>();
        var mentions = new List<MentionOutput>(found.Count);
        foreach (var (_, _, _, mention, resource) in found)
        {
            mentions.Add(mention);
            if (resource is not null)
            {
                resources.Add(resource);
            }
        }

        if (resources.Count > 0)
        {
            var device = DeviceJson.Write(context);
            resources.Add(ProvenanceJson.Write(context, device.Id, resources));
            resources.Add(device);
        }

        return new NlpFhirOutput(resources, mentions);
    }

    /// <summary>
    /// <paramref name="resourceJson"/> marked entered-in-error, the rest kept: a Condition's verificationStatus becomes
    /// entered-in-error and its clinicalStatus goes (R4's con-5); the status of an Observation, MedicationStatement,
    /// FamilyMemberHistory or Procedure becomes entered-in-error. <c>meta.lastUpdated</c> becomes
    /// <paramref name="lastUpdated"/> when given.
    /// </summary>
    /// <exception cref="ArgumentException">The JSON does not parse, or is not of a type a mention makes.</exception>
    public static string Retract(string resourceJson, DateTimeOffset? lastUpdated = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(resourceJson);
        JsonDocument parsed;
        try
        {
            parsed = JsonDocument.Parse(resourceJson);
        }
        catch (JsonException e)
        {
            throw new ArgumentException("The resource to retract is not JSON: " + e.Message, nameof(resourceJson), e);
        }

        using (parsed)
        {
            var root = parsed.RootElement;
            var type = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("resourceType", out var typeElement) && typeElement.ValueKind == JsonValueKind.String
                ? typeElement.GetString()
                : null;
            if (type is null || !MentionResourceTypes.Contains(type))
            {
                throw new ArgumentException(
                    $"Only the resources a mention makes can be retracted ({string.Join(", ", MentionResourceTypes.Order(StringComparer.Ordinal))}), not '{type ?? "a JSON value without resourceType"}'.",
                    nameof(resourceJson));
            }

            return FhirJson.Json(w => Retracted(w, root, type == "Condition", lastUpdated));
        }
    }

    private static void Read(SourceContext context, int index, TextAnnotation annotation, List<(int, int, int, MentionOutput, WrittenResource?)> found)
    {
        ArgumentNullException.ThrowIfNull(annotation);
        var (text, reading) = annotation;
        var sourceKey = context.SourceKey;

        // Drugs and values first: the concept mentions of the same words point to the resource they make.
        var drugs = new Dictionary<(int, int), string?>();
        foreach (var medication in reading.Medications)
        {
            CheckSpan(text, medication.Start, medication.End);
            var id = NlpIds.Mention(sourceKey, text.Path, MentionKinds.Medication, medication.Drug.Concept.Id, medication.Start, medication.End);
            var assertion = MentionAt(reading, ConceptKind.Medication, medication.Drug.Start, medication.Drug.End)?.Assertion ?? MentionAssertion.Default;
            var resource = MedicationStatementJson.Write(context, id, text, medication, assertion);
            drugs[(medication.Drug.Start, medication.Drug.End)] = resource?.Key;
            found.Add((index, medication.Start, 2, new MentionOutput(id, text.Path, MentionKinds.Medication, medication.Start, medication.End, resource?.Key), resource));
        }

        var values = new Dictionary<int, string?>();
        foreach (var measurement in reading.Measurements)
        {
            CheckSpan(text, measurement.Start, measurement.End);
            var id = NlpIds.Mention(sourceKey, text.Path, MentionKinds.Measurement, measurement.TestId, measurement.Start, measurement.End);
            var label = MentionAt(reading, ConceptKind.Measurement, measurement.Start, null);
            var resource = ObservationJson.Write(context, id, text, measurement, label?.Assertion);
            values[measurement.Start] = resource?.Key;
            found.Add((index, measurement.Start, 1, new MentionOutput(id, text.Path, MentionKinds.Measurement, measurement.Start, measurement.End, resource?.Key), resource));
        }

        foreach (var mention in reading.Mentions)
        {
            CheckSpan(text, mention.Start, mention.End);
            var id = NlpIds.Mention(sourceKey, text.Path, MentionKinds.Concept, mention.Concept.Id, mention.Start, mention.End);
            var resource = mention.Concept.Kind switch
            {
                ConceptKind.Procedure => ProcedureJson.Write(context, id, text, mention),
                ConceptKind.Medication or ConceptKind.Measurement => null,
                _ when mention.Assertion.Experiencer == Experiencer.Other => FamilyMemberHistoryJson.Write(context, id, text, mention),
                _ => ConditionJson.Write(context, id, text, mention),
            };
            var key = mention.Concept.Kind switch
            {
                ConceptKind.Medication => drugs.GetValueOrDefault((mention.Start, mention.End)),
                ConceptKind.Measurement => values.GetValueOrDefault(mention.Start),
                _ => resource?.Key,
            };
            found.Add((index, mention.Start, 0, new MentionOutput(id, text.Path, MentionKinds.Concept, mention.Start, mention.End, key), resource));
        }
    }

    private static Mention? MentionAt(TextReading reading, ConceptKind kind, int start, int? end)
    {
        foreach (var mention in reading.Mentions)
        {
            if (mention.Concept.Kind == kind && mention.Start == start && (end is null || mention.End == end))
            {
                return mention;
            }
        }

        return null;
    }

    private static void CheckSpan(SourceText text, int start, int end)
    {
        if (start < 0 || end <= start || end > text.Text.Length)
        {
            throw new ArgumentException($"A mention at [{start}, {end}) is not inside the text at '{text.Path}' ({text.Text.Length} characters): the reading is not of this text.", nameof(text));
        }
    }

    private static void Retracted(Utf8JsonWriter w, JsonElement root, bool condition, DateTimeOffset? lastUpdated)
    {
        w.WriteStartObject();
        var marked = false;
        foreach (var property in root.EnumerateObject())
        {
            if (condition && property.NameEquals("clinicalStatus"))
            {
                continue;
            }

            if (condition ? property.NameEquals("verificationStatus") : property.NameEquals("status"))
            {
                EnteredInError(w, condition);
                marked = true;
            }
            else if (lastUpdated is { } time && property.NameEquals("meta") && property.Value.ValueKind == JsonValueKind.Object)
            {
                w.WriteStartObject("meta");
                w.WriteString("lastUpdated", FhirDates.Instant(time));
                foreach (var part in property.Value.EnumerateObject())
                {
                    if (!part.NameEquals("lastUpdated"))
                    {
                        part.WriteTo(w);
                    }
                }

                w.WriteEndObject();
            }
            else
            {
                property.WriteTo(w);
            }
        }

        if (!marked)
        {
            EnteredInError(w, condition);
        }

        w.WriteEndObject();
    }

    private static void EnteredInError(Utf8JsonWriter w, bool condition)
    {
        if (condition)
        {
            FhirJson.Concept(w, "verificationStatus", ConditionJson.VerificationSystem, "entered-in-error", "Entered in Error");
        }
        else
        {
            w.WriteString("status", "entered-in-error");
        }
    }
}
