namespace Fhirhouse.Views;

/// <summary>How a view was brought up to date.</summary>
public enum ViewMaterializationKind
{
    /// <summary>Computed whole from the current versions in bronze.</summary>
    Built,

    /// <summary>Changed resources recomputed from bronze's change data feed.</summary>
    Refreshed,

    /// <summary>Already at the latest bronze version.</summary>
    UpToDate,
}
