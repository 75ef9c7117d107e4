using Fhirhouse.Governance.Identity;
using Fhirhouse.Storage;

namespace Fhirhouse.Server.Auth;

/// <summary>
/// The server's clients from the lake's identity store (<c>fhirhouse clients add|remove</c>), re-read when the store
/// changed and at most <see cref="RefreshInterval"/> after: a client removed loses its next token request and the
/// tokens it holds, within that interval, without restarting the server.
/// </summary>
public sealed class LakeClientRegistry : IClientRegistry
{
    private readonly IObjectStore _lake;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private IReadOnlyDictionary<string, RegisteredClient> _clients = new Dictionary<string, RegisteredClient>(StringComparer.Ordinal);
    private long _version = -2;
    private DateTimeOffset _checkedAt = DateTimeOffset.MinValue;

    private LakeClientRegistry(IObjectStore lake, TimeProvider time)
    {
        _lake = lake;
        _time = time;
    }

    /// <summary>How long a read of the store is trusted before the store is checked for changes (default 5 s).</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How many clients are registered as of the last read.</summary>
    public int Count => _clients.Count;

    /// <summary>Reads the registered clients once; a registration whose key does not parse fails here, naming the client.</summary>
    public static async Task<LakeClientRegistry> OpenAsync(IObjectStore lake, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lake);
        ArgumentNullException.ThrowIfNull(time);
        var registry = new LakeClientRegistry(lake, time);
        await registry.RefreshAsync(force: true, cancellationToken).ConfigureAwait(false);
        return registry;
    }

    public async ValueTask<RegisteredClient?> FindAsync(string clientId, CancellationToken cancellationToken = default)
    {
        await RefreshAsync(force: false, cancellationToken).ConfigureAwait(false);
        return _clients.GetValueOrDefault(clientId);
    }

    private async Task RefreshAsync(bool force, CancellationToken cancellationToken)
    {
        if (!force && _time.GetUtcNow() - _checkedAt < RefreshInterval)
        {
            return;
        }

        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!force && _time.GetUtcNow() - _checkedAt < RefreshInterval)
            {
                return;
            }

            if (force || await IdentityStore.ChangedSinceAsync(_lake, _version, cancellationToken).ConfigureAwait(false))
            {
                var (identities, version) = await IdentityStore.ListAsync(_lake, RegisteredIdentity.Client, cancellationToken).ConfigureAwait(false);
                _clients = identities.ToDictionary(i => i.Name, ToClient, StringComparer.Ordinal);
                _version = version;
            }

            _checkedAt = _time.GetUtcNow();
        }
        finally
        {
            _refresh.Release();
        }
    }

    private static RegisteredClient ToClient(RegisteredIdentity identity)
    {
        try
        {
            return RegisteredClient.FromPem(identity.Name, identity.Credential) with { AllowedScopes = identity.Scopes, Role = identity.Role, Purpose = identity.Purpose };
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new InvalidDataException($"The identity store's client '{identity.Name}' has a public key that does not parse as PEM (RSA or EC P-384).", e);
        }
    }
}
