namespace Fhirhouse.Storage.Keys.Keyring;

/// <summary>
/// The keyring as last read: the document, its KEKs unwrapped, and the file's stamp (write time and length) at that
/// read, swapped as one reference so that readers never see a document with another document's keys.
/// </summary>
internal sealed record KeyringSnapshot(KeyringDocument Document, IReadOnlyDictionary<(string KeyId, int Version), byte[]> Keks, (long Ticks, long Length) Stamp);
