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

    /// <summary>
    /// The message without the values DuckDB quoted from the data (names of the tables and columns read kept): what the
    /// audit log records, so no resource content reaches it. Null when the message holds no such value.
    /// </summary>
    public string? MessageWithoutValues { get; init; }
}
