using System.Text.Json.Serialization;

namespace Fhirhouse.Storage.Keys.Keyring;

/// <summary>A KEK version whose material was erased: "retired" (after rotation) or "destroyed" (crypto-shredded).</summary>
internal sealed record KeyringRemoval(
    [property: JsonPropertyName("version")] int Version,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("at")] DateTimeOffset At);
