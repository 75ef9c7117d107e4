namespace Fhirhouse.Ingest.Sources.Bulk;

/// <summary>Which kick-off endpoint a Bulk Data export uses.</summary>
public enum BulkExportLevel
{
    /// <summary><c>[base]/$export</c>: every resource.</summary>
    System,

    /// <summary><c>[base]/Patient/$export</c>: every patient's compartment.</summary>
    Patient,

    /// <summary><c>[base]/Group/[id]/$export</c>: the compartments of a group's patients.</summary>
    Group,
}
