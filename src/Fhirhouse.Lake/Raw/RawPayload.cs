namespace Fhirhouse.Lake.Raw;

/// <summary>A payload kept as received: its SHA-256 (hex), its object key in the raw zone, its size, and whether this landing stored it (false: already there).</summary>
public sealed record RawPayload(string Sha256, string Key, long Size, bool New);
