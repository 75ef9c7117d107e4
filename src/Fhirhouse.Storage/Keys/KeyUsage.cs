namespace Fhirhouse.Storage.Keys;

/// <summary>How many objects have their data key wrapped under version <paramref name="KekVersion"/> of <paramref name="KeyId"/>.</summary>
public sealed record KeyUsage(string KeyId, int KekVersion, long Objects);
