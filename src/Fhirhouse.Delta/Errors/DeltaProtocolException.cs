using Fhirhouse.Errors;

namespace Fhirhouse.Delta;

/// <summary>
/// The table's log breaks the Delta protocol (missing protocol or metadata, a gap in versions, an unreadable
/// action); <see cref="Location"/> names the table or object where the problem was found.
/// </summary>
public sealed class DeltaProtocolException : FhirhouseException
{
    public DeltaProtocolException(string location, string message)
        : base(ErrorCodes.ProtocolViolation, ErrorKind.Data, $"{location}: {message}") => Location = location;

    public DeltaProtocolException(string location, string message, Exception inner)
        : base(ErrorCodes.ProtocolViolation, ErrorKind.Data, $"{location}: {message}", inner) => Location = location;

    public string Location { get; }
}
