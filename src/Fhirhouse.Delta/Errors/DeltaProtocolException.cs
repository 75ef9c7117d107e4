namespace Fhirhouse.Delta;

/// <summary>
/// The table's log breaks the Delta protocol (missing protocol or metadata, a gap in versions, an unreadable
/// action); <see cref="Location"/> names the table or object where the problem was found.
/// </summary>
public sealed class DeltaProtocolException : Exception
{
    public DeltaProtocolException(string location, string message)
        : base($"{location}: {message}") => Location = location;

    public DeltaProtocolException(string location, string message, Exception inner)
        : base($"{location}: {message}", inner) => Location = location;

    public string Location { get; }
}
