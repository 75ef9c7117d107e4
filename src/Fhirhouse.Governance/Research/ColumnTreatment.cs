namespace Fhirhouse.Governance.Research;

/// <summary>What a research export does with a column: keep it (references in it pseudonymised, dates shifted), pseudonymise it, or leave it out.</summary>
internal enum ColumnTreatment
{
    Keep,
    Pseudonymise,
    Remove,
}
