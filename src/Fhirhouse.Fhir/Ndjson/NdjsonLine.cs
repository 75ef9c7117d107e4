namespace Fhirhouse.Fhir.Ndjson;

/// <summary>
/// One non-blank line of an NDJSON stream: its 1-based line number and its bytes (without the line break). The bytes
/// are valid until the reader moves to the next line: copy them to keep them. A line over the reader's limit, when
/// the reader was asked to go past such lines, has no bytes and says how long it was (<see cref="OversizedLength"/>).
/// </summary>
public readonly record struct NdjsonLine(long LineNumber, ReadOnlyMemory<byte> Json, long OversizedLength = 0)
{
    /// <summary>True for a line over the reader's limit: its bytes were not kept.</summary>
    public bool IsOversized => OversizedLength > 0;
}
