using System.Security.Cryptography;

namespace Fhirhouse.Server.Auth;

/// <summary>
/// A backend client: its id (the assertion's <c>iss</c> and <c>sub</c>), the public key (RSA for RS384, EC P-384 for
/// ES384) that verifies its assertions, and the scopes it may be granted (<c>system/*.read</c>, <c>system/Type.read</c>).
/// Under governance the client reads as <see cref="Role"/> for <see cref="Purpose"/> (its registration is its identity).
/// </summary>
public sealed record RegisteredClient(string ClientId, AsymmetricAlgorithm PublicKey, IReadOnlyList<string> AllowedScopes)
{
    /// <summary>The policy role the client's tokens carry (e.g. <c>data-scientist</c>); required when the server governs access.</summary>
    public string? Role { get; init; }

    /// <summary>The purpose of use the client's tokens carry (e.g. <c>research</c>); required when the server governs access.</summary>
    public string? Purpose { get; init; }

    /// <summary>A client allowed <c>system/*.read</c>, from a PEM public key (RSA or EC P-384).</summary>
    public static RegisteredClient FromPem(string clientId, string publicKeyPem)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(publicKeyPem);
            return new RegisteredClient(clientId, rsa, ["system/*.read"]);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            rsa.Dispose();
        }

        var ec = ECDsa.Create();
        ec.ImportFromPem(publicKeyPem);
        return new RegisteredClient(clientId, ec, ["system/*.read"]);
    }
}
