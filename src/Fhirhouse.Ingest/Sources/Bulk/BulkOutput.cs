namespace Fhirhouse.Ingest.Sources.Bulk;

/// <summary>One file of a completion manifest: its resource type, URL and (when the server says) line count.</summary>
public sealed record BulkOutput(string Type, string Url, long? Count);
