using System.Text.Json.Serialization;

namespace Fhirhouse.Storage.Keys.Keyring;

/// <summary>One KEK version: AES-256-GCM of the key under the master key (nonce || ciphertext || tag, base64).</summary>
internal sealed record KeyringVersion(
    [property: JsonPropertyName("version")] int Version,
    [property: JsonPropertyName("created")] DateTimeOffset Created,
    [property: JsonPropertyName("wrapped")] string Wrapped);
