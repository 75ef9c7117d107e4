namespace Fhirhouse.Fhir.FhirPath;

/// <summary>The FHIRPath functions this engine evaluates.</summary>
internal enum FunctionKind
{
    Where,
    Select,
    Exists,
    Empty,
    First,
    Last,
    Count,
    OfType,
    Is,
    Not,
    Join,
    Extension,
    GetResourceKey,
    GetReferenceKey,
    LowBoundary,
    HighBoundary,
    StartsWith,
    Contains,
    ToString,
}
