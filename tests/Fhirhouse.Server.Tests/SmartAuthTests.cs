using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Fhirhouse.Ingest.Sources.Bulk;
using Fhirhouse.Server.Auth;
using static Fhirhouse.Server.Tests.Resources;

namespace Fhirhouse.Server.Tests;

public sealed class SmartAuthTests : IAsyncLifetime, IDisposable
{
    private readonly TestLake _source = new();
    private readonly TestLake _target = new();
    private readonly HttpClient _http = new();
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly ECDsa _ec = ECDsa.Create(ECCurve.NamedCurves.nistP384);
    private BulkExportServer? _server;

    private BulkExportServer Server => _server!;

    public async Task InitializeAsync()
    {
        await _source.IngestAsync(Patient("p1"), Observation("o1", "p1"));
        _server = await BulkExportServer.StartAsync(new BulkServerOptions
        {
            Lake = _source.Store,
            RetryAfterSeconds = 0,
            Auth = new SmartAuthOptions
            {
                Clients =
                [
                    RegisteredClient.FromPem("rsa-client", _rsa.ExportSubjectPublicKeyInfoPem()),
                    RegisteredClient.FromPem("ec-client", _ec.ExportSubjectPublicKeyInfoPem()),
                    new RegisteredClient("patients-only", _rsa, ["system/Patient.read"]),
                ],
            },
        });
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public void Dispose()
    {
        _http.Dispose();
        _rsa.Dispose();
        _ec.Dispose();
        _source.Dispose();
        _target.Dispose();
    }

    private async Task<BulkExportResult> ExportAsync(SmartBackendCredentials credentials, Action<BulkExportClient>? inspect = null)
    {
        using var client = new BulkExportClient(_http, _target.Store, await _target.IngestorAsync(), new BulkExportOptions
        {
            BaseUrl = new Uri(Server.BaseUrl),
            PollInterval = TimeSpan.FromMilliseconds(50),
            RetryDelay = TimeSpan.FromMilliseconds(10),
            Credentials = credentials,
        });
        var result = await client.RunAsync();
        inspect?.Invoke(client);
        return result;
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostTokenAsync(string assertion, string scope = "system/*.read")
    {
        using var response = await _http.PostAsync(Server.BaseUrl + "/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["scope"] = scope,
            ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ["client_assertion"] = assertion,
        }));
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    [Fact]
    public async Task Requests_without_a_valid_token_get_401_with_a_bearer_challenge()
    {
        foreach (var bearer in new[] { null, "not-a-token" })
        {
            using var response = await ExportHttp.KickOffAsync(_http, Server.BaseUrl + "/$export", bearer);
            Assert.Equal(HttpStatusCode.Unauthorized, (await ExportHttp.OutcomeAsync(response)).Status);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        }

        using var file = await _http.GetAsync(Server.BaseUrl + "/_export/0123456789abcdef0123456789abcdef");
        Assert.Equal(HttpStatusCode.Unauthorized, file.StatusCode);
    }

    [Theory]
    [InlineData("rsa-client")]
    [InlineData("ec-client")]
    public async Task A_client_signing_RS384_or_ES384_discovers_the_token_endpoint_and_exports_with_one_cached_token(string clientId)
    {
        var pem = clientId == "rsa-client" ? _rsa.ExportPkcs8PrivateKeyPem() : _ec.ExportPkcs8PrivateKeyPem();
        var issued = 0;
        var result = await ExportAsync(new SmartBackendCredentials(clientId, pem), c => issued = c.TokensIssued);
        Assert.Equal(2, result.Summary.Resources);
        Assert.Equal(1, issued);
        Assert.Equal(2, (await _target.CurrentAsync()).Count);
    }

    [Fact]
    public async Task A_given_token_url_is_used_without_discovery()
    {
        var wrong = await Assert.ThrowsAsync<BulkExportException>(() => ExportAsync(
            new SmartBackendCredentials("rsa-client", _rsa.ExportPkcs8PrivateKeyPem()) { TokenUrl = new Uri(Server.BaseUrl + "/no-token-here") }));
        Assert.Contains("/no-token-here", wrong.Url, StringComparison.Ordinal);

        var result = await ExportAsync(new SmartBackendCredentials("rsa-client", _rsa.ExportPkcs8PrivateKeyPem()) { TokenUrl = new Uri(Server.BaseUrl + "/auth/token"), KeyId = "k1" });
        Assert.Equal(2, result.Summary.Resources);
    }

    [Fact]
    public async Task Without_governance_another_client_can_neither_poll_download_nor_cancel_a_job_it_did_not_start()
    {
        var tokenUrl = Server.BaseUrl + "/auth/token";
        var owner = (await PostTokenAsync(ClientAssertion.Create("rsa-client", tokenUrl, _rsa, null, DateTimeOffset.UtcNow))).Body.GetProperty("access_token").GetString()!;
        var stranger = (await PostTokenAsync(ClientAssertion.Create("ec-client", tokenUrl, _ec, null, DateTimeOffset.UtcNow))).Body.GetProperty("access_token").GetString()!;
        using var kickOff = await ExportHttp.KickOffAsync(_http, Server.BaseUrl + "/$export", owner);
        var status = ExportHttp.StatusUrl(kickOff);

        JsonElement manifest = default;
        for (var i = 0; i < 300; i++)
        {
            using var poll = await SendAsync(HttpMethod.Get, status, owner);
            if (poll.StatusCode == HttpStatusCode.OK)
            {
                manifest = JsonDocument.Parse(await poll.Content.ReadAsStringAsync()).RootElement.Clone();
                break;
            }

            await Task.Delay(50);
        }

        var file = manifest.GetProperty("output")[0].GetProperty("url").GetString()!;
        using (var theirs = await SendAsync(HttpMethod.Get, file, owner))
        {
            Assert.Equal(HttpStatusCode.OK, theirs.StatusCode);
        }

        foreach (var (method, url) in new[] { (HttpMethod.Get, status), (HttpMethod.Get, file), (HttpMethod.Delete, status) })
        {
            using var response = await SendAsync(method, url, stranger);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        using var stillThere = await SendAsync(HttpMethod.Get, status, owner);
        Assert.Equal(HttpStatusCode.OK, stillThere.StatusCode);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, string bearer)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new("Bearer", bearer);
        return await _http.SendAsync(request);
    }

    [Fact]
    public async Task An_assertion_signed_with_another_key_is_refused_as_invalid_client()
    {
        using var other = RSA.Create(2048);
        var error = await Assert.ThrowsAsync<BulkExportException>(() => ExportAsync(new SmartBackendCredentials("rsa-client", other.ExportPkcs8PrivateKeyPem())));
        Assert.Equal(HttpStatusCode.Unauthorized, error.Status);
        Assert.Contains("invalid_client", error.Reason, StringComparison.Ordinal);
        Assert.Contains("signature", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_token_endpoint_checks_audience_expiry_replay_issuer_and_scope()
    {
        var tokenUrl = Server.BaseUrl + "/auth/token";
        var now = DateTimeOffset.UtcNow;
        var good = ClientAssertion.Create("rsa-client", tokenUrl, _rsa, null, now);
        var (status, body) = await PostTokenAsync(good);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("bearer", body.GetProperty("token_type").GetString());
        Assert.Equal(300, body.GetProperty("expires_in").GetInt32());

        Assert.Contains("jti", (await PostTokenAsync(good)).Body.GetProperty("error_description").GetString(), StringComparison.Ordinal);
        Assert.Contains("aud", (await PostTokenAsync(ClientAssertion.Create("rsa-client", "https://elsewhere/token", _rsa, null, now))).Body.GetProperty("error_description").GetString(), StringComparison.Ordinal);
        Assert.Contains("exp", (await PostTokenAsync(ClientAssertion.Create("rsa-client", tokenUrl, _rsa, null, now.AddHours(-1)))).Body.GetProperty("error_description").GetString(), StringComparison.Ordinal);
        Assert.Contains("not registered", (await PostTokenAsync(ClientAssertion.Create("stranger", tokenUrl, _rsa, null, now))).Body.GetProperty("error_description").GetString(), StringComparison.Ordinal);
        var (scopeStatus, scopeBody) = await PostTokenAsync(ClientAssertion.Create("patients-only", tokenUrl, _rsa, null, now), "system/*.read");
        Assert.Equal((HttpStatusCode.BadRequest, "invalid_scope"), (scopeStatus, scopeBody.GetProperty("error").GetString()));

        var (_, limited) = await PostTokenAsync(ClientAssertion.Create("patients-only", tokenUrl, _rsa, null, now), "system/Patient.read");
        using var forbidden = await ExportHttp.KickOffAsync(_http, Server.BaseUrl + "/$export?_type=Observation", limited.GetProperty("access_token").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await ExportHttp.OutcomeAsync(forbidden)).Status);
        using var allowed = await ExportHttp.KickOffAsync(_http, Server.BaseUrl + "/$export?_type=Patient", limited.GetProperty("access_token").GetString());
        Assert.Equal(HttpStatusCode.Accepted, allowed.StatusCode);
    }
}
