using System.Text.Json.Serialization;

namespace Fhirhouse.Storage.Keys.Keyring;

/// <summary>
/// Where the master key comes from ("key-file", "passphrase" or "supplied"), the Argon2id salt and cost for a passphrase,
/// and a check value (an AES-GCM tag over nothing) that tells a wrong master key before anything is written.
/// </summary>
internal sealed record KeyringMaster(
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("check")] string Check,
    [property: JsonPropertyName("kdf")] KeyringKdf? Kdf);
