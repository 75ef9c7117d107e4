using Fhirhouse.Errors;

namespace Fhirhouse.Query;

/// <summary>
/// A query that cannot run: refused (not read-only, several statements), or failed in DuckDB; the message says why. A
/// data error unless made otherwise (a statement retried after a file moved is transient).
/// </summary>
public sealed class QueryException : FhirhouseException
{
    public QueryException(string message, Exception? innerException = null, ErrorKind kind = ErrorKind.Data, bool isTransient = false)
        : base(ErrorCodes.QueryFailed, kind, message, innerException, isTransient)
    {
    }

    /// <summary>
    /// The message without the values DuckDB quoted from the data (names of the tables and columns read kept): what the
    /// audit log records, so no resource content reaches it. Null when the message holds no such value.
    /// </summary>
    public string? MessageWithoutValues { get; init; }
}
