namespace Fhirhouse.Fhir.FhirPath;

/// <summary>What a <see cref="FhirItem"/> holds: a node of the resource or a value computed by an expression.</summary>
internal enum ItemKind : byte
{
    Element,
    Boolean,
    Integer,
    Decimal,
    String,
    Date,
    DateTime,
    Time,
}
