using Fhirhouse.Delta.Actions;

namespace Fhirhouse.Delta.Log;

/// <summary>The state a log replay reconstructs: protocol, metadata, live files, tombstones, txn and domains.</summary>
internal sealed record TableState(
    Protocol Protocol,
    Metadata Metadata,
    IReadOnlyList<AddFile> Files,
    IReadOnlyList<RemoveFile> Tombstones,
    IReadOnlyDictionary<string, SetTransaction> Transactions,
    IReadOnlyDictionary<string, DomainMetadata> Domains);
