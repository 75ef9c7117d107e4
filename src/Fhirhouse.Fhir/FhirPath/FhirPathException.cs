namespace Fhirhouse.Fhir.FhirPath;

/// <summary>A FHIRPath expression that does not compile or cannot be evaluated: names the expression and the position.</summary>
internal sealed class FhirPathException : Exception
{
    public FhirPathException(string expression, int position, string reason)
        : base($"{reason} at position {position} of FHIRPath '{expression}'")
    {
    }

    public FhirPathException(string reason)
        : base(reason)
    {
    }
}
