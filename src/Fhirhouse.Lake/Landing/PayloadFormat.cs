namespace Fhirhouse.Lake.Landing;

/// <summary>How a payload's bytes hold resources.</summary>
public enum PayloadFormat
{
    /// <summary>One resource (or Bundle) per line.</summary>
    Ndjson,

    /// <summary>One JSON document: a Bundle (split into its entries) or a single resource.</summary>
    Json,
}
