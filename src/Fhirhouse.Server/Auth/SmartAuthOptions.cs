namespace Fhirhouse.Server.Auth;

/// <summary>SMART Backend Services: the registered clients and how long an access token lives.</summary>
public sealed record SmartAuthOptions
{
    /// <summary>The clients allowed to ask for a token, each with the public key its assertions are signed with (a fixed list).</summary>
    public IReadOnlyList<RegisteredClient> Clients { get; init; } = [];

    /// <summary>Where clients are found instead of <see cref="Clients"/>: the lake's identity store (<see cref="LakeClientRegistry"/>).</summary>
    public IClientRegistry? Registry { get; init; }

    /// <summary>Lifetime of an access token (default 5 minutes, the SMART recommendation).</summary>
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The registry the token endpoint asks: <see cref="Registry"/>, else the fixed <see cref="Clients"/>.</summary>
    internal IClientRegistry Lookup => Registry ?? new FixedClients(Clients);

    public void Validate()
    {
        if (Clients.Count == 0 && Registry is null)
        {
            throw new ArgumentException("Auth.Clients is empty and no Auth.Registry is given: register at least one client, or turn authorization off.");
        }

        if (Clients.Count > 0 && Registry is not null)
        {
            throw new ArgumentException("Auth.Clients and Auth.Registry are both given: clients come from one place.");
        }

        if (TokenLifetime <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Auth.TokenLifetime must be positive (got {TokenLifetime}).");
        }
    }

    private sealed class FixedClients(IReadOnlyList<RegisteredClient> clients) : IClientRegistry
    {
        public ValueTask<RegisteredClient?> FindAsync(string clientId, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(clients.FirstOrDefault(c => c.ClientId == clientId));
    }
}
