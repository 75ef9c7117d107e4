namespace Fhirhouse.Ingest.Sources.Bulk;

/// <summary>
/// SMART Backend Services credentials: the client id registered with the server and its private key (PEM, RSA for
/// RS384 or EC P-384 for ES384). The token endpoint is discovered from <c>[base]/.well-known/smart-configuration</c>
/// unless <see cref="TokenUrl"/> is given.
/// </summary>
public sealed record SmartBackendCredentials(string ClientId, string PrivateKeyPem)
{
    /// <summary>The token endpoint; null to discover it.</summary>
    public Uri? TokenUrl { get; init; }

    /// <summary>The scopes asked for (space-separated).</summary>
    public string Scope { get; init; } = "system/*.read";

    /// <summary>The key id (<c>kid</c>) put in the assertion header, when the server holds several keys for the client.</summary>
    public string? KeyId { get; init; }
}
