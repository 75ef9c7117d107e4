namespace Fhirhouse.Lake.Erasure;

/// <summary>An object of job state (an export's files and the like) that held the patient: "rewritten" without them, or "deleted"; <see cref="Removed"/> counts the resources or entries taken out.</summary>
public sealed record JobFileErasure(string Key, string Action, long Removed);
