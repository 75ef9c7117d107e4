namespace Fhirhouse.Query.Access;

/// <summary>How a statement ended.</summary>
public enum QueryOutcome
{
    Ok,
    Denied,
    Error,
}
