using Fhirhouse.Errors;

namespace Fhirhouse.Query.Access;

/// <summary>A query refused by access control; the message says which rule (or the default) denied which table, and for whom.</summary>
public sealed class AccessDeniedException : FhirhouseException
{
    public AccessDeniedException(string message, Exception? innerException = null)
        : base(ErrorCodes.AccessDenied, ErrorKind.AccessDenied, message, innerException)
    {
    }
}
