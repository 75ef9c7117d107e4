namespace Fhirhouse.Fhir.Ndjson;

/// <summary>One NDJSON file of a Bulk Data style output: the resource type it holds, where it is, how many lines.</summary>
public sealed record NdjsonFile(string ResourceType, string Path, long Count);
