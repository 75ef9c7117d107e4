using Fhirhouse.Errors;

namespace Fhirhouse.Fhir.FhirPath;

/// <summary>
/// A FHIRPath expression that does not compile (usage: names the expression and the position) or cannot be evaluated on
/// a resource (data).
/// </summary>
internal sealed class FhirPathException : FhirhouseException
{
    public FhirPathException(string expression, int position, string reason)
        : base(ErrorCodes.InvalidFhirPath, ErrorKind.Usage, $"{reason} at position {position} of FHIRPath '{expression}'")
    {
    }

    public FhirPathException(string reason)
        : base(ErrorCodes.InvalidFhirPath, ErrorKind.Data, reason)
    {
    }
}
