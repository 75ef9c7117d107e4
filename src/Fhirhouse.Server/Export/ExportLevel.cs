namespace Fhirhouse.Server.Export;

/// <summary>The three kick-off endpoints of Bulk Data: everything, every patient's compartment, one group's patients.</summary>
internal enum ExportLevel
{
    System,
    Patient,
    Group,
}
