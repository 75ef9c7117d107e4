using System.Text.Json.Serialization;

namespace Fhirhouse.Storage.Keys.Keyring;

/// <summary>The Argon2id parameters a passphrase-derived master key was made with.</summary>
internal sealed record KeyringKdf(
    [property: JsonPropertyName("algorithm")] string Algorithm,
    [property: JsonPropertyName("salt")] string Salt,
    [property: JsonPropertyName("memoryKiB")] int MemoryKiB,
    [property: JsonPropertyName("iterations")] int Iterations,
    [property: JsonPropertyName("parallelism")] int Parallelism);
