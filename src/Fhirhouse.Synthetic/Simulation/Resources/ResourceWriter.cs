using System.Text.Json;
using Fhirhouse.Synthetic.Output;

namespace Fhirhouse.Synthetic.Simulation.Resources;

/// <summary>
/// Writes one patient's resources into its batch: each resource starts with its meta (version 1, last updated no later
/// than the end of the span), times are the hospital's wall times with offset, references are <c>Type/id</c> or
/// <c>urn:uuid:</c> (transaction Bundles).
/// </summary>
internal sealed class ResourceWriter(ResourceBatch batch, SimPatient patient, DateTime spanEnd, string organizationId, bool urnReferences)
{
    public SimPatient Patient => patient;

    /// <summary>The hospital, shared by every patient, always referenced as <c>Organization/id</c>.</summary>
    public string Organization { get; } = "Organization/" + organizationId;

    /// <summary>Starts a resource and writes its meta; the writer is for the rest, <see cref="End"/> closes it.</summary>
    public Utf8JsonWriter Begin(string resourceType, string id, DateTime lastUpdated)
    {
        var w = batch.Begin(resourceType, id);
        w.WriteStartObject("meta");
        w.WriteString("versionId", "1");
        w.WriteString("lastUpdated", Time(lastUpdated < spanEnd ? lastUpdated : spanEnd));
        w.WriteEndObject();
        return w;
    }

    public void End() => batch.End();

    public string Ref(string type, string id) => urnReferences ? "urn:uuid:" + id : type + "/" + id;

    public string Time(DateTime wallTime) => LocalTime.Format(wallTime, patient.French);

    /// <summary>"subject" (or another name) referencing the patient.</summary>
    public void PatientReference(Utf8JsonWriter w, string name) => FhirJson.Reference(w, name, Ref("Patient", patient.Id));

    public void EncounterReference(Utf8JsonWriter w, string encounterId) => FhirJson.Reference(w, "encounter", Ref("Encounter", encounterId));
}
