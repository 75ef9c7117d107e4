using System.Text.Json.Serialization;

namespace Fhirhouse.Storage.Lake;

/// <summary>
/// What the lake records about itself in the plaintext object <c>_fhirhouse/lake.json</c>: its format, encryption mode,
/// key provider (envelope) or SSE-KMS key (sse-kms), when it was created, and its id (32 hex digits, in every object's
/// header). It holds no key material. A lake without an id predates lake ids and table head records: it is refused
/// until <c>fhirhouse lake upgrade</c> gives it one (<see cref="UpgradePending"/> while the upgrade runs).
/// </summary>
public sealed record LakeMetadata(
    [property: JsonPropertyName("format")] string Format,
    [property: JsonPropertyName("encryption")] string Encryption,
    [property: JsonPropertyName("keyProvider")] string? KeyProvider,
    [property: JsonPropertyName("sseKmsKeyId")] string? SseKmsKeyId,
    [property: JsonPropertyName("created")] DateTimeOffset Created)
{
    [JsonPropertyName("lakeId")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? LakeId { get; init; }

    [JsonPropertyName("upgradePending")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool UpgradePending { get; init; }

    /// <summary>The lake id as bytes; null when the lake has none yet.</summary>
    [JsonIgnore]
    public byte[]? LakeIdBytes => LakeId is { Length: 32 } hex ? Convert.FromHexString(hex) : null;

    /// <summary>The format this build writes and reads.</summary>
    public const string CurrentFormat = "fhirhouse-lake/1";

    /// <summary>The key of the metadata object, in the underlying (not encrypted) store.</summary>
    public const string ObjectKey = "_fhirhouse/lake.json";

    /// <summary>The recorded mode as an enum.</summary>
    [JsonIgnore]
    public LakeEncryption Mode => Encryption switch
    {
        "envelope" => LakeEncryption.Envelope,
        "sse-kms" => LakeEncryption.SseKms,
        _ => throw new InvalidOperationException($"Unknown lake encryption mode '{Encryption}' (this build knows 'envelope' and 'sse-kms')."),
    };

    internal static string Name(LakeEncryption mode) => mode == LakeEncryption.SseKms ? "sse-kms" : "envelope";
}
