namespace Fhirhouse.Ingest.Lake;

/// <summary>Where the ingestion tables and the raw zone live in the lake (object-key prefixes).</summary>
public static class LakeTables
{
    /// <summary>Bronze: one row per resource version received.</summary>
    public const string Bronze = "tables/fhir_resources";

    /// <summary>What could not be landed as a resource, with the reason and a pointer to the raw payload.</summary>
    public const string Quarantine = "tables/quarantine";

    /// <summary>The raw zone's manifest: one row per payload landed.</summary>
    public const string RawManifest = "tables/raw_manifest";

    /// <summary>Prefix of the content-addressed raw payloads.</summary>
    public const string RawPayloads = "raw/payloads/";
}
