namespace Fhirhouse.Fhir.Resources;

/// <summary>
/// What ingestion needs to know of a resource without parsing all of it: its type and id, its version and last update
/// (from <c>meta</c>), and the patient whose compartment it belongs to (<see cref="PatientId"/>, null when none).
/// </summary>
public sealed record ResourceHeader(string ResourceType, string Id, string? VersionId, DateTimeOffset? LastUpdated, string? PatientId)
{
    /// <summary>"Patient/123".</summary>
    public string Key => ResourceType + "/" + Id;
}
