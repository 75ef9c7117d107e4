using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;

namespace Fhirhouse.Ingest.Sources.Bulk;

/// <summary>
/// Access tokens for a SMART backend client: discovers the token endpoint, posts a client-credentials request with a
/// fresh signed assertion, and caches the token until shortly before it expires.
/// </summary>
internal sealed class SmartTokenSource(SmartBackendCredentials credentials, Uri baseUrl, TimeProvider time) : IDisposable
{
    private static readonly TimeSpan s_margin = TimeSpan.FromSeconds(30);
    private readonly AsymmetricAlgorithm _key = ClientAssertion.LoadPrivateKey(credentials.PrivateKeyPem);
    private readonly SemaphoreSlim _lock = new(1, 1);
    private Uri? _tokenUrl = credentials.TokenUrl;
    private (string Token, DateTimeOffset ExpiresAt)? _cached;

    public int Issued { get; private set; }

    public void Invalidate() => _cached = null;

    /// <summary>A valid token; <paramref name="send"/> performs a request with the client's retries.</summary>
    public async Task<string> GetAsync(Func<Func<HttpRequestMessage>, Func<HttpResponseMessage, CancellationToken, Task<JsonElement>>, CancellationToken, Task<JsonElement>> send, CancellationToken cancellationToken)
    {
        if (_cached is { } fresh && fresh.ExpiresAt - s_margin > time.GetUtcNow())
        {
            return fresh.Token;
        }

        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_cached is { } again && again.ExpiresAt - s_margin > time.GetUtcNow())
            {
                return again.Token;
            }

            if (_tokenUrl is null)
            {
                var configurationUrl = new Uri(baseUrl.AbsoluteUri.TrimEnd('/') + "/.well-known/smart-configuration");
                var configuration = await send(() => new HttpRequestMessage(HttpMethod.Get, configurationUrl), ReadJsonAsync, cancellationToken).ConfigureAwait(false);
                _tokenUrl = configuration.TryGetProperty("token_endpoint", out var endpoint) && endpoint.GetString() is { } url
                    ? new Uri(url)
                    : throw new BulkExportException(configurationUrl.AbsoluteUri, null, "the SMART configuration has no token_endpoint.");
            }

            var tokenUrl = _tokenUrl;
            var response = await send(() => new HttpRequestMessage(HttpMethod.Post, tokenUrl)
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["grant_type"] = "client_credentials",
                    ["scope"] = credentials.Scope,
                    ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                    ["client_assertion"] = ClientAssertion.Create(credentials.ClientId, tokenUrl.AbsoluteUri, _key, credentials.KeyId, time.GetUtcNow()),
                }),
            }, ReadJsonAsync, cancellationToken).ConfigureAwait(false);
            var token = response.TryGetProperty("access_token", out var t) && t.GetString() is { Length: > 0 } value
                ? value
                : throw new BulkExportException(tokenUrl.AbsoluteUri, null, "the token response has no access_token.");
            var lifetime = response.TryGetProperty("expires_in", out var e) && e.TryGetInt64(out var seconds) ? TimeSpan.FromSeconds(seconds) : TimeSpan.FromMinutes(5);
            _cached = (token, time.GetUtcNow() + lifetime);
            Issued++;
            return token;
        }
        finally
        {
            _lock.Release();
        }
    }

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken).ConfigureAwait(false);

    public void Dispose()
    {
        _key.Dispose();
        _lock.Dispose();
    }
}
