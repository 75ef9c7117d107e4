namespace Fhirhouse.Fhir.FhirPath;

/// <summary>Lexical classes of FHIRPath.</summary>
internal enum TokenKind
{
    End,
    Identifier,
    String,
    Number,
    Temporal,
    Variable,
    Symbol,
}
