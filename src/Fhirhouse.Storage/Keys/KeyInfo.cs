namespace Fhirhouse.Storage.Keys;

/// <summary>One key-encryption key: its id, the version new data keys are wrapped under, and every version still held.</summary>
public sealed record KeyInfo(string KeyId, int CurrentVersion, IReadOnlyList<int> Versions);
