using System.Text.Json.Serialization;

namespace Fhirhouse.Storage.Keys.Keyring;

/// <summary>The keyring file (JSON): how its master key is obtained and every KEK, wrapped by that master key.</summary>
internal sealed record KeyringDocument(
    [property: JsonPropertyName("format")] string Format,
    [property: JsonPropertyName("master")] KeyringMaster Master,
    [property: JsonPropertyName("keys")] List<KeyringKey> Keys)
{
    public const string CurrentFormat = "fhirhouse-keyring/1";
}
