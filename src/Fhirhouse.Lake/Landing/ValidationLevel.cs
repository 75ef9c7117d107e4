namespace Fhirhouse.Lake.Landing;

/// <summary>How strictly received resources are checked before they land in bronze; failures go to quarantine.</summary>
public enum ValidationLevel
{
    /// <summary>Only what landing needs: a JSON object with resourceType and id.</summary>
    None,

    /// <summary>Our own fast checks: an R4 resource type, a FHIR id, a valid meta.lastUpdated (the default).</summary>
    Structure,

    /// <summary>Structure, then Firely's validator against base R4 (or the given profiles): errors quarantine the resource.</summary>
    Full,
}
