namespace Fhirhouse.Lake.Raw;

/// <summary>One payload of the raw zone: where it came from, when, its hash, size and media type, and what became of it.</summary>
public sealed record ManifestRow(
    string RawKey,
    string Sha256,
    string Source,
    string Location,
    string MediaType,
    long Size,
    DateTimeOffset ReceivedAt,
    string Status,
    long Resources,
    long Quarantined)
{
    internal object?[] ToValues() => [RawKey, Sha256, Source, Location, MediaType, Size, ReceivedAt, Status, Resources, Quarantined];

    internal static ManifestRow FromValues(object?[] v) => new(
        (string)v[0]!, (string)v[1]!, (string)v[2]!, (string)v[3]!, (string)v[4]!, (long)v[5]!, (DateTimeOffset)v[6]!, (string)v[7]!, (long)v[8]!, (long)v[9]!);
}
