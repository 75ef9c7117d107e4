namespace Fhirhouse.Query.Access;

/// <summary>A query refused by access control; the message says which rule (or the default) denied which table, and for whom.</summary>
public sealed class AccessDeniedException : InvalidOperationException
{
    public AccessDeniedException(string message)
        : base(message)
    {
    }

    public AccessDeniedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
