namespace Fhirhouse.Nlp.Fhir;

/// <summary>The Device that stands for one version of the engine: active, named <c>fhirhouse-nlp</c> (model name), its version.</summary>
internal static class DeviceJson
{
    public const string Name = "fhirhouse-nlp";

    public static WrittenResource Write(SourceContext context) =>
        FhirJson.Resource("Device", NlpIds.Device(context.EngineVersion), w =>
        {
            context.Meta(w);
            w.WriteString("status", "active");
            w.WriteStartArray("deviceName");
            w.WriteStartObject();
            w.WriteString("name", Name);
            w.WriteString("type", "model-name");
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteStartArray("version");
            w.WriteStartObject();
            w.WriteString("value", context.EngineVersion);
            w.WriteEndObject();
            w.WriteEndArray();
        });
}
