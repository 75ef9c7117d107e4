namespace Fhirhouse.Ingest.Sources.Bulk;

/// <summary>
/// An export in the client's hands, kept in the lake (<c>jobs/bulk/&lt;id&gt;.json</c>, encrypted like the rest of the lake) after every step:
/// the kick-off and status URLs, the manifest once received, and the files already landed. A run that finds it
/// unfinished resumes polling or downloading instead of kicking off again.
/// </summary>
internal sealed record BulkJobState(string KickOffUrl, string StatusUrl, DateTimeOffset KickedOffAt, BulkManifest? Manifest, IReadOnlyList<string> Done, bool Finished);
