using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Fhirhouse.Server.Auth;

/// <summary>
/// The SMART Backend Services token endpoint: checks a client-credentials request whose client assertion is a JWT
/// (RS384 or ES384) signed by a registered client (<c>iss</c> = <c>sub</c> = client id, <c>aud</c> = this endpoint,
/// <c>exp</c> in the next five minutes, <c>jti</c> never seen before) and issues an opaque access token kept in memory.
/// </summary>
internal sealed class TokenIssuer(SmartAuthOptions options, TimeProvider time)
{
    public const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static readonly TimeSpan s_clockSkew = TimeSpan.FromSeconds(60);
    private readonly ConcurrentDictionary<string, GrantedToken> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _seenJti = new(StringComparer.Ordinal);
    private readonly IClientRegistry _clients = options.Lookup;

    public async Task<(string Token, GrantedToken Grant)> IssueAsync(IReadOnlyDictionary<string, string> form, string tokenUrl, CancellationToken cancellationToken)
    {
        if (form.GetValueOrDefault("grant_type") != "client_credentials")
        {
            throw new TokenProblemException(400, "unsupported_grant_type", "grant_type must be client_credentials.");
        }

        if (form.GetValueOrDefault("client_assertion_type") != AssertionType)
        {
            throw new TokenProblemException(400, "invalid_request", $"client_assertion_type must be {AssertionType}.");
        }

        var assertion = form.GetValueOrDefault("client_assertion") ?? throw new TokenProblemException(400, "invalid_request", "client_assertion is missing.");
        var client = await VerifyAsync(assertion, tokenUrl, cancellationToken).ConfigureAwait(false);
        var requested = (form.GetValueOrDefault("scope") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (requested.Length == 0)
        {
            throw new TokenProblemException(400, "invalid_scope", "scope is missing (e.g. system/*.read).");
        }

        var refused = requested.Where(s => !Allowed(client, s)).ToList();
        if (refused.Count > 0)
        {
            throw new TokenProblemException(400, "invalid_scope", $"Client '{client.ClientId}' may not have scope(s) {string.Join(' ', refused)}.");
        }

        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        var grant = new GrantedToken(client.ClientId, requested, time.GetUtcNow() + options.TokenLifetime) { Role = client.Role, Purpose = client.Purpose };
        _tokens[token] = grant;
        return (token, grant);
    }

    /// <summary>The grant behind a bearer token, or null when it is unknown, expired, or its client is no longer registered.</summary>
    public async Task<GrantedToken?> FindAsync(string token, CancellationToken cancellationToken)
    {
        if (!_tokens.TryGetValue(token, out var grant) || grant.ExpiresAt <= time.GetUtcNow())
        {
            return null;
        }

        if (await _clients.FindAsync(grant.ClientId, cancellationToken).ConfigureAwait(false) is null)
        {
            _tokens.TryRemove(token, out _);
            return null;
        }

        return grant;
    }

    private async Task<RegisteredClient> VerifyAsync(string jwt, string tokenUrl, CancellationToken cancellationToken)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3)
        {
            throw new TokenProblemException(401, "invalid_client", "client_assertion is not a compact JWS (header.payload.signature).");
        }

        JsonElement header, claims;
        try
        {
            header = JsonDocument.Parse(FromBase64Url(parts[0])).RootElement;
            claims = JsonDocument.Parse(FromBase64Url(parts[1])).RootElement;
        }
        catch (Exception failure) when (failure is JsonException or FormatException)
        {
            throw new TokenProblemException(401, "invalid_client", "client_assertion's header or payload is not base64url JSON.");
        }

        var iss = Claim(claims, "iss");
        var client = await _clients.FindAsync(iss, cancellationToken).ConfigureAwait(false)
            ?? throw new TokenProblemException(401, "invalid_client", $"Client '{iss}' is not registered.");
        if (Claim(claims, "sub") != iss)
        {
            throw new TokenProblemException(401, "invalid_client", "The assertion's sub must equal its iss (the client id).");
        }

        var alg = header.TryGetProperty("alg", out var a) ? a.GetString() : null;
        var signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        var signature = FromBase64Url(parts[2]);
        var valid = (alg, client.PublicKey) switch
        {
            ("RS384", RSA rsa) => rsa.VerifyData(signed, signature, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1),
            ("ES384", ECDsa ec) => ec.VerifyData(signed, signature, HashAlgorithmName.SHA384),
            _ => throw new TokenProblemException(401, "invalid_client", $"alg '{alg}' does not fit client '{iss}''s key (RS384 for RSA, ES384 for EC P-384)."),
        };
        if (!valid)
        {
            throw new TokenProblemException(401, "invalid_client", "The assertion's signature does not verify with the client's registered key.");
        }

        var audience = Claim(claims, "aud");
        if (audience != tokenUrl)
        {
            throw new TokenProblemException(401, "invalid_client", $"The assertion's aud '{audience}' is not this token endpoint ({tokenUrl}).");
        }

        var now = time.GetUtcNow();
        if (!claims.TryGetProperty("exp", out var e) || e.ValueKind != JsonValueKind.Number)
        {
            throw new TokenProblemException(401, "invalid_client", "The assertion has no numeric exp.");
        }

        var expires = DateTimeOffset.FromUnixTimeSeconds(e.GetInt64());
        if (expires + s_clockSkew < now || expires > now + TimeSpan.FromMinutes(5) + s_clockSkew)
        {
            throw new TokenProblemException(401, "invalid_client", $"The assertion's exp ({expires:O}) is not within the next five minutes.");
        }

        var jti = Claim(claims, "jti");
        foreach (var (old, until) in _seenJti)
        {
            if (until + s_clockSkew < now)
            {
                _seenJti.TryRemove(old, out _);
            }
        }

        if (!_seenJti.TryAdd(client.ClientId + " " + jti, expires))
        {
            throw new TokenProblemException(401, "invalid_client", $"The assertion's jti '{jti}' was already used.");
        }

        return client;
    }

    private static string Claim(JsonElement claims, string name) =>
        claims.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw new TokenProblemException(401, "invalid_client", $"The assertion lacks the '{name}' claim.");

    private static bool Allowed(RegisteredClient client, string scope) =>
        client.AllowedScopes.Contains(scope)
        || (client.AllowedScopes.Contains("system/*.read") && scope.StartsWith("system/", StringComparison.Ordinal)
            && (scope.EndsWith(".read", StringComparison.Ordinal) || scope.EndsWith(".rs", StringComparison.Ordinal)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }
}
