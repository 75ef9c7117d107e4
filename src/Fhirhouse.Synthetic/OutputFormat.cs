namespace Fhirhouse.Synthetic;

/// <summary>How the generated hospital is written.</summary>
public enum OutputFormat
{
    /// <summary>FHIR Bulk Data layout: <c>Patient.000.ndjson</c>, <c>Observation.000.ndjson</c>, ...</summary>
    Ndjson,

    /// <summary>One FHIR transaction Bundle per patient (<c>bundles/patient-000001.json</c>), with <c>urn:uuid:</c> references.</summary>
    Bundles,
}
