namespace Fhirhouse.Delta.Actions;

/// <summary>The txn action: the latest batch <see cref="Version"/> an application committed (idempotent writes).</summary>
public sealed record SetTransaction(string AppId, long Version, long? LastUpdated) : DeltaAction;
