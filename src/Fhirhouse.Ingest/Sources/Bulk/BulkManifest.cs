namespace Fhirhouse.Ingest.Sources.Bulk;

/// <summary>The completion manifest of a Bulk Data export (what the status URL answers with 200).</summary>
public sealed record BulkManifest(
    string TransactionTime,
    string Request,
    bool RequiresAccessToken,
    IReadOnlyList<BulkOutput> Output,
    IReadOnlyList<BulkOutput>? Deleted,
    IReadOnlyList<BulkOutput>? Error);
