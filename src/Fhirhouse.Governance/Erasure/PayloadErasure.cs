namespace Fhirhouse.Governance.Erasure;

/// <summary>
/// One raw payload rewritten without the patient: its old key, its new content-addressed key (null when nothing else was
/// left and the payload was deleted), its new size, the resources or Bundle entries removed and the NDJSON lines emptied.
/// </summary>
public sealed record PayloadErasure(string Key, string? NewKey, long NewSize, long Removed, IReadOnlyList<long> EmptiedLines);
