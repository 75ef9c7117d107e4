using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Fhirhouse.Ml.Features;
using Fhirhouse.Ml.Pipelines;
using Fhirhouse.Ml.Registry;

namespace Fhirhouse.Ml.Scoring;

/// <summary>
/// The FHIR R4 a prediction becomes, so clinicians' tools see it: a <c>RiskAssessment</c> (subject the patient,
/// occurrence the index time, the outcome with its probability over the label's horizon, the model as <c>device</c> and
/// the model version as <c>method</c>), the model as a <c>Device</c> (one per model version) and a <c>Provenance</c>
/// (target the RiskAssessment, the Device as assembler, the feature table version as source entity). Ids are derived
/// from the model version and the index row, so scoring the same rows again updates the same resources.
/// </summary>
public static class RiskAssessmentJson
{
    /// <summary>The system of the identifier that names a model version (<c>NAME vN</c>) on its Device.</summary>
    public const string ModelSystem = "urn:fhirhouse:ml-model";

    /// <summary>The Device id of a model version.</summary>
    public static string DeviceId(ModelVersion model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return "ml-model-" + Hash($"{model.Model}\n{model.Version}")[..24];
    }

    /// <summary>The RiskAssessment id of a model version's prediction for an index row.</summary>
    public static string RiskAssessmentId(ModelVersion model, FeatureRow row)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(row);
        return "ml-risk-" + Hash(PredictionKey(model, row))[..40];
    }

    /// <summary>The key of a model version's prediction for an index row (<c>ml.predictions.prediction_id</c>).</summary>
    public static string PredictionKey(ModelVersion model, FeatureRow row)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(row);
        return string.Create(CultureInfo.InvariantCulture, $"{model.Model}\n{model.Version}\n{row.PatientId}\n{row.IndexTime.UtcTicks}\n{row.IndexId}");
    }

    /// <summary>The model version's Device.</summary>
    public static string Device(ModelVersion model, PipelineSpec spec, DateTimeOffset recorded)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(spec);
        return Write(w =>
        {
            w.WriteString("resourceType", "Device");
            w.WriteString("id", DeviceId(model));
            Meta(w, recorded);
            w.WriteStartArray("identifier");
            w.WriteStartObject();
            w.WriteString("system", ModelSystem);
            w.WriteString("value", model.ToString());
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteString("status", "active");
            w.WriteStartArray("deviceName");
            w.WriteStartObject();
            w.WriteString("name", model.Model);
            w.WriteString("type", "model-name");
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteStartObject("type");
            w.WriteString("text", "Machine learning model (" + model.Training.Trainer + ")");
            w.WriteEndObject();
            w.WriteStartArray("version");
            w.WriteStartObject();
            w.WriteString("value", model.Version.ToString(CultureInfo.InvariantCulture));
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteStartArray("note");
            w.WriteStartObject();
            w.WriteString("text", string.Create(CultureInfo.InvariantCulture,
                $"{spec.Description} Trained on {model.FeatureTable} v{model.FeatureTableVersion} ({model.Training.From:yyyy-MM-dd} to {model.Training.To:yyyy-MM-dd}); holdout AUROC {model.Holdout.Overall.Auroc:0.000}; artifact SHA-256 {model.ArtifactSha256}."));
            w.WriteEndObject();
            w.WriteEndArray();
        });
    }

    /// <summary>The RiskAssessment of one prediction.</summary>
    public static string RiskAssessment(ModelVersion model, PipelineSpec spec, FeatureRow row, double probability, DateTimeOffset recorded)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(row);
        return Write(w =>
        {
            w.WriteString("resourceType", "RiskAssessment");
            w.WriteString("id", RiskAssessmentId(model, row));
            Meta(w, recorded);
            w.WriteStartArray("identifier");
            w.WriteStartObject();
            w.WriteString("system", ModelSystem + ":prediction");
            w.WriteString("value", Hash(PredictionKey(model, row)));
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteString("status", "final");
            Concept(w, "method", ModelSystem, model.ToString(), null, text: model.ToString());
            w.WriteStartObject("subject");
            w.WriteString("reference", row.PatientId.Contains('/', StringComparison.Ordinal) ? row.PatientId : "Patient/" + row.PatientId);
            w.WriteEndObject();
            w.WriteString("occurrenceDateTime", Instant(row.IndexTime));
            w.WriteStartObject("performer");
            w.WriteString("reference", "Device/" + DeviceId(model));
            w.WriteString("display", model.ToString());
            w.WriteEndObject();
            w.WriteStartArray("prediction");
            w.WriteStartObject();
            w.WriteStartObject("outcome");
            w.WriteString("text", spec.Description);
            w.WriteEndObject();
            w.WriteNumber("probabilityDecimal", Math.Round(probability, 6));
            w.WriteStartObject("whenPeriod");
            w.WriteString("start", Instant(row.IndexTime));
            w.WriteString("end", Instant(row.IndexTime.AddDays(spec.Features.Label.HorizonDays)));
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
        });
    }

    /// <summary>The Provenance of one prediction's RiskAssessment.</summary>
    public static string Provenance(ModelVersion model, FeatureRow row, string featureTable, long featureTableVersion, DateTimeOffset recorded)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(row);
        return Write(w =>
        {
            w.WriteString("resourceType", "Provenance");
            w.WriteString("id", "ml-prov-" + Hash(PredictionKey(model, row))[..40]);
            Meta(w, recorded);
            w.WriteStartArray("target");
            w.WriteStartObject();
            w.WriteString("reference", "RiskAssessment/" + RiskAssessmentId(model, row));
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteString("recorded", Instant(recorded));
            Concept(w, "activity", "http://terminology.hl7.org/CodeSystem/v3-DataOperation", "CREATE", "create");
            w.WriteStartArray("agent");
            w.WriteStartObject();
            Concept(w, "type", "http://terminology.hl7.org/CodeSystem/provenance-participant-type", "assembler", "Assembler");
            w.WriteStartObject("who");
            w.WriteString("reference", "Device/" + DeviceId(model));
            w.WriteString("display", model.ToString());
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteStartArray("entity");
            w.WriteStartObject();
            w.WriteString("role", "source");
            w.WriteStartObject("what");
            w.WriteStartObject("identifier");
            w.WriteString("system", "urn:fhirhouse:table-version");
            w.WriteString("value", string.Create(CultureInfo.InvariantCulture, $"{featureTable}@{featureTableVersion}"));
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndArray();
        });
    }

    private static void Meta(Utf8JsonWriter w, DateTimeOffset recorded)
    {
        w.WriteStartObject("meta");
        w.WriteString("lastUpdated", Instant(recorded));
        w.WriteEndObject();
    }

    /// <summary>"name": a CodeableConcept of one coding (and a text when given).</summary>
    private static void Concept(Utf8JsonWriter w, string name, string system, string code, string? display, string? text = null)
    {
        w.WriteStartObject(name);
        w.WriteStartArray("coding");
        w.WriteStartObject();
        w.WriteString("system", system);
        w.WriteString("code", code);
        if (display is not null)
        {
            w.WriteString("display", display);
        }

        w.WriteEndObject();
        w.WriteEndArray();
        if (text is not null)
        {
            w.WriteString("text", text);
        }

        w.WriteEndObject();
    }

    private static string Instant(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
