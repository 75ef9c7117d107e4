namespace Fhirhouse.Nlp.Fhir;

/// <summary>
/// The Provenance of one source resource's findings: every resource made as target, recorded when they were updated,
/// activity CREATE, the engine's Device as assembler, the source resource as source entity.
/// </summary>
internal static class ProvenanceJson
{
    public static WrittenResource Write(SourceContext context, string deviceId, IReadOnlyList<WrittenResource> targets) =>
        FhirJson.Resource("Provenance", NlpIds.Provenance(context.SourceKey, context.EngineVersion), w =>
        {
            context.Meta(w);
            w.WriteStartArray("target");
            foreach (var target in targets)
            {
                w.WriteStartObject();
                w.WriteString("reference", target.Key);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteString("recorded", context.LastUpdated);
            FhirJson.Concept(w, "activity", "http://terminology.hl7.org/CodeSystem/v3-DataOperation", "CREATE", "create");
            w.WriteStartArray("agent");
            w.WriteStartObject();
            FhirJson.Concept(w, "type", "http://terminology.hl7.org/CodeSystem/provenance-participant-type", "assembler", "Assembler");
            w.WriteStartObject("who");
            w.WriteString("reference", "Device/" + deviceId);
            w.WriteString("display", DeviceJson.Name + " " + context.EngineVersion);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteStartArray("entity");
            w.WriteStartObject();
            w.WriteString("role", "source");
            FhirJson.Reference(w, "what", context.SourceKey);
            w.WriteEndObject();
            w.WriteEndArray();
        });
}
