using System.Text.Json.Serialization;

namespace Fhirhouse.Storage.Keys.Keyring;

/// <summary>One KEK: its live versions (wrapped by the master key) and the versions retired or destroyed.</summary>
internal sealed record KeyringKey(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("current")] int Current,
    [property: JsonPropertyName("versions")] List<KeyringVersion> Versions,
    [property: JsonPropertyName("removed")] List<KeyringRemoval> Removed);
