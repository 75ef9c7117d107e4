using Fhirhouse.Errors;

namespace Fhirhouse.Fhir.Resources;

/// <summary>
/// A payload that is not a usable FHIR resource: not JSON, not an object, no or unknown resourceType, no or invalid id.
/// <see cref="Reason"/> says what is wrong; <see cref="Source"/> and <see cref="Line"/> say where, when known.
/// </summary>
public sealed class InvalidResourceException : FhirhouseException
{
    public InvalidResourceException(string reason, string? source = null, long? line = null, Exception? inner = null)
        : base(ErrorCodes.InvalidResource, ErrorKind.Data, Describe(reason, source, line), inner)
    {
        Reason = reason;
        Source = source;
        Line = line;
    }

    /// <summary>What is wrong, without the location.</summary>
    public string Reason { get; }

    /// <summary>The file, URL or topic the payload came from.</summary>
    public new string? Source { get; }

    /// <summary>The 1-based line in <see cref="Source"/>, for NDJSON.</summary>
    public long? Line { get; }

    /// <summary>The same problem, located.</summary>
    public InvalidResourceException At(string source, long? line) => new(Reason, source, line, InnerException);

    private static string Describe(string reason, string? source, long? line) =>
        source is null ? reason : line is null ? $"{source}: {reason}" : $"{source}, line {line}: {reason}";
}
