namespace Fhirhouse.Governance.Erasure;

/// <summary>A file of job state (bulk exports and the like) that held the patient: "rewritten" without them, or "deleted".</summary>
public sealed record JobFileErasure(string Key, string Action, long Removed);
