namespace Fhirhouse.Lake.Quarantine;

/// <summary>
/// Something received that is not a usable resource: where it is (the raw payload and its line or entry, and the
/// original location a person recognises), why it was refused, and what could be read of it.
/// </summary>
public sealed record QuarantineRow(
    string Source,
    string RawKey,
    long RawLine,
    string Location,
    string Reason,
    string? ResourceType,
    string? Id,
    DateTimeOffset ReceivedAt)
{
    internal object?[] ToValues() => [Source, RawKey, RawLine, Location, Reason, ResourceType, Id, ReceivedAt];

    internal static QuarantineRow FromValues(object?[] v) => new(
        (string)v[0]!, (string)v[1]!, (long)v[2]!, (string)v[3]!, (string)v[4]!, (string?)v[5], (string?)v[6], (DateTimeOffset)v[7]!);
}
