namespace Fhirhouse.Query;

/// <summary>A query that cannot run: refused (not read-only, several statements), or failed in DuckDB; the message says why.</summary>
public sealed class QueryException : InvalidOperationException
{
    public QueryException(string message)
        : base(message)
    {
    }

    public QueryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
