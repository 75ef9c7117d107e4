namespace Fhirhouse.Delta.Actions;

/// <summary>The sidecar action of a V2 checkpoint: a Parquet file under <c>_delta_log/_sidecars/</c> holding file actions.</summary>
internal sealed record SidecarFile(string Path, long SizeInBytes, long ModificationTime) : DeltaAction;
