namespace Fhirhouse.Fhir.Ndjson;

/// <summary>
/// One non-blank line of an NDJSON stream: its 1-based line number and its bytes (without the line break). The bytes
/// are valid until the reader moves to the next line: copy them to keep them.
/// </summary>
public readonly record struct NdjsonLine(long LineNumber, ReadOnlyMemory<byte> Json);
