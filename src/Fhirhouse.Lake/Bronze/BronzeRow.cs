namespace Fhirhouse.Lake.Bronze;

/// <summary>
/// One row of <c>fhir_resources</c>: one resource version as received. <see cref="Resource"/> is the JSON as received
/// (Bundle references rewritten to <c>Type/id</c>), null for a deletion.
/// </summary>
public sealed record BronzeRow(
    string ResourceType,
    string Id,
    string? VersionId,
    DateTimeOffset? LastUpdated,
    bool Deleted,
    string? PatientId,
    string Source,
    string RawKey,
    long RawLine,
    string? ContentHash,
    DateTimeOffset IngestedAt,
    string? Resource)
{
    internal object?[] ToValues() =>
        [ResourceType, Id, VersionId, LastUpdated, Deleted, PatientId, Source, RawKey, RawLine, ContentHash, IngestedAt, Resource];

    /// <summary>A row from the values of a Delta row in bronze's column order (<see cref="BronzeTable.Schema"/>; extra values after them, such as the change feed's, are ignored).</summary>
    public static BronzeRow FromValues(object?[] v) => new(
        (string)v[0]!, (string)v[1]!, (string?)v[2], (DateTimeOffset?)v[3], (bool)v[4]!, (string?)v[5], (string)v[6]!, (string)v[7]!,
        (long)v[8]!, (string?)v[9], (DateTimeOffset)v[10]!, (string?)v[11]);
}
