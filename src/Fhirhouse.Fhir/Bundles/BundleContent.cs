namespace Fhirhouse.Fhir.Bundles;

/// <summary>A Bundle split into its entries: its type, its timestamp (or meta.lastUpdated) when given, and the entries in order.</summary>
public sealed record BundleContent(string Type, DateTimeOffset? Timestamp, IReadOnlyList<BundleEntry> Entries);
