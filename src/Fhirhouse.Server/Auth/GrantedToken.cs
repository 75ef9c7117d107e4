namespace Fhirhouse.Server.Auth;

/// <summary>An access token the server issued: to whom, for what, until when.</summary>
internal sealed record GrantedToken(string ClientId, IReadOnlyList<string> Scopes, DateTimeOffset ExpiresAt)
{
    /// <summary>The role of the client's registration, carried by the token.</summary>
    public string? Role { get; init; }

    /// <summary>The purpose of use of the client's registration, carried by the token.</summary>
    public string? Purpose { get; init; }

    /// <summary>True when the scopes allow reading every type (null) or each of <paramref name="types"/>.</summary>
    public bool AllowsRead(IReadOnlyList<string>? types) =>
        Scopes.Any(s => s is "system/*.read" or "system/*.rs")
        || (types is not null && types.All(t => Scopes.Contains($"system/{t}.read") || Scopes.Contains($"system/{t}.rs")));
}
