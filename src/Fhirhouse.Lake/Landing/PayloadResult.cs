namespace Fhirhouse.Lake.Landing;

/// <summary>What became of one payload: resources landed (deletions included), quarantined items, or skipped because it was already ingested.</summary>
public sealed record PayloadResult(string Location, string RawKey, bool AlreadyIngested, long Resources, long Deleted, long Quarantined);
