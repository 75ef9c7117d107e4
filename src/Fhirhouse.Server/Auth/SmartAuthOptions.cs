namespace Fhirhouse.Server.Auth;

/// <summary>SMART Backend Services: the registered clients and how long an access token lives.</summary>
public sealed record SmartAuthOptions
{
    /// <summary>The clients allowed to ask for a token, each with the public key its assertions are signed with.</summary>
    public required IReadOnlyList<RegisteredClient> Clients { get; init; }

    /// <summary>Lifetime of an access token (default 5 minutes, the SMART recommendation).</summary>
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromMinutes(5);

    public void Validate()
    {
        if (Clients.Count == 0)
        {
            throw new ArgumentException("Auth.Clients is empty: register at least one client, or turn authorization off.");
        }

        if (TokenLifetime <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Auth.TokenLifetime must be positive (got {TokenLifetime}).");
        }
    }
}
