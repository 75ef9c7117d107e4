namespace Fhirhouse.Server.Auth;

/// <summary>Where the token endpoint finds a client's registration: a fixed list, or the lake's identity store.</summary>
public interface IClientRegistry
{
    /// <summary>The registration of <paramref name="clientId"/>, or null when it is not (or no longer) registered.</summary>
    ValueTask<RegisteredClient?> FindAsync(string clientId, CancellationToken cancellationToken = default);
}
