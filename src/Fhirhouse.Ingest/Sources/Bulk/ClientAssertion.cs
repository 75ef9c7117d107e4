using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Fhirhouse.Ingest.Sources.Bulk;

/// <summary>
/// The signed JWT a SMART backend client authenticates with (<c>private_key_jwt</c>): <c>iss</c> = <c>sub</c> = client
/// id, <c>aud</c> = token endpoint, <c>exp</c> five minutes ahead, a fresh <c>jti</c>; RS384 for an RSA key, ES384 for
/// an EC P-384 key.
/// </summary>
internal static class ClientAssertion
{
    public static string Create(string clientId, string audience, AsymmetricAlgorithm key, string? keyId, DateTimeOffset now)
    {
        var alg = key switch
        {
            RSA => "RS384",
            ECDsa { KeySize: 384 } => "ES384",
            ECDsa ec => throw new ArgumentException($"An EC key for ES384 must be on P-384 (this one has {ec.KeySize} bits)."),
            _ => throw new ArgumentException($"Key type {key.GetType().Name} cannot sign RS384 or ES384."),
        };
        var header = keyId is null
            ? JsonSerializer.SerializeToUtf8Bytes(new { alg, typ = "JWT" })
            : JsonSerializer.SerializeToUtf8Bytes(new { alg, typ = "JWT", kid = keyId });
        var claims = JsonSerializer.SerializeToUtf8Bytes(new
        {
            iss = clientId,
            sub = clientId,
            aud = audience,
            exp = now.AddMinutes(5).ToUnixTimeSeconds(),
            jti = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
        });
        var signingInput = Base64Url(header) + "." + Base64Url(claims);
        var data = Encoding.ASCII.GetBytes(signingInput);
        var signature = key is RSA rsa
            ? rsa.SignData(data, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1)
            : ((ECDsa)key).SignData(data, HashAlgorithmName.SHA384);
        return signingInput + "." + Base64Url(signature);
    }

    /// <summary>An RSA or EC private key from PEM (PKCS#1, SEC1 or PKCS#8).</summary>
    public static AsymmetricAlgorithm LoadPrivateKey(string pem)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            return rsa;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            rsa.Dispose();
        }

        var ec = ECDsa.Create();
        try
        {
            ec.ImportFromPem(pem);
            return ec;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            ec.Dispose();
            throw new ArgumentException("The private key is neither an RSA nor an EC key in PEM form.", e);
        }
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
