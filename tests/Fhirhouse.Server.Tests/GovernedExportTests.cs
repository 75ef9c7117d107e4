using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Fhirhouse.Governance.Audit;
using Fhirhouse.Governance.Enforcement;
using Fhirhouse.Governance.Policies;
using Fhirhouse.Ingest.Sources.Bulk;
using Fhirhouse.Server.Auth;
using Fhirhouse.Storage.Keys.Keyring;
using Fhirhouse.Testing;
using static Fhirhouse.Server.Tests.Resources;

namespace Fhirhouse.Server.Tests;

/// <summary>Bulk exports under the shipped policies: clients read as the role and purpose of their registration.</summary>
public sealed class GovernedExportTests : IAsyncLifetime, IDisposable
{
    private const string Organization = """{"resourceType":"Organization","id":"org1","meta":{"versionId":"1","lastUpdated":"2025-01-01T00:00:00Z"},"name":"CHU"}""";

    private readonly TestLake _lake = new();
    private readonly HttpClient _http = new();
    private readonly RSA _research = RSA.Create(2048);
    private readonly RSA _clinic = RSA.Create(2048);
    private BulkExportServer? _server;
    private LakeGovernance? _governance;

    private BulkExportServer Server => _server!;

    public async Task InitializeAsync()
    {
        await _lake.IngestAsync(Patient("p1"), Observation("o1", "p1"), Organization);
        var keys = Path.Combine(_lake.Folder, "keys");
        var keyring = LocalKeyring.Create(Path.Combine(keys, "keyring.json"), MasterKey.CreateKeyFile(Path.Combine(keys, "master.key")));
        _governance = await LakeGovernance.OpenAsync(_lake.Store, keyring, PolicySet.Load(Path.Combine(RepoPaths.Root, "policies")), TimeProvider.System);
        _server = await BulkExportServer.StartAsync(new BulkServerOptions
        {
            Lake = _lake.Store,
            RetryAfterSeconds = 0,
            Governance = _governance,
            Auth = new SmartAuthOptions
            {
                Clients =
                [
                    new RegisteredClient("research-lab", _research, ["system/*.read"]) { Role = "data-scientist", Purpose = "research" },
                    new RegisteredClient("ward-7", _clinic, ["system/*.read"]) { Role = "clinician", Purpose = "treatment" },
                ],
            },
        });
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public void Dispose()
    {
        _http.Dispose();
        _research.Dispose();
        _clinic.Dispose();
        _lake.Dispose();
    }

    private async Task<HttpClient> AuthorizedAsync(string clientId, RSA key)
    {
        var assertion = ClientAssertion.Create(clientId, Server.BaseUrl + "/auth/token", key, null, DateTimeOffset.UtcNow);
        using var response = await _http.PostAsync(Server.BaseUrl + "/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["scope"] = "system/*.read",
            ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ["client_assertion"] = assertion,
        }));
        var token = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("access_token").GetString();
        var client = new HttpClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task A_research_client_naming_a_denied_type_gets_an_OperationOutcome_naming_the_rule_and_the_refusal_is_audited()
    {
        using var http = await AuthorizedAsync("research-lab", _research);

        using var response = await ExportHttp.KickOffAsync(http, Server.BaseUrl + "/$export?_type=Patient,Organization");
        var (status, diagnostics) = await ExportHttp.OutcomeAsync(response);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("no rule allows table 'export.Patient' to role 'data-scientist' for purpose 'research' (deny by default", diagnostics, StringComparison.Ordinal);
        Assert.DoesNotContain("table 'export.Organization'", diagnostics, StringComparison.Ordinal);
        var audit = Assert.Single(await _governance!.Audit.ListAsync());
        Assert.Equal(("research-lab", "data-scientist", "research", "server-export", "denied"), (audit.Entry.User, audit.Entry.Role, audit.Entry.Purpose, audit.Entry.EntryPoint, audit.Entry.Outcome));
        Assert.Equal(["export.Patient", "export.Organization"], audit.Entry.Tables);
    }

    [Fact]
    public async Task Without_a_type_a_research_export_leaves_out_the_denied_types_says_which_and_is_audited()
    {
        using var http = await AuthorizedAsync("research-lab", _research);

        using var kickOff = await ExportHttp.KickOffAsync(http, Server.BaseUrl + "/$export");
        var manifest = await ExportHttp.ManifestAsync(http, ExportHttp.StatusUrl(kickOff));

        var outputs = manifest.GetProperty("output").EnumerateArray().ToList();
        Assert.Equal(["Organization"], outputs.Select(o => o.GetProperty("type").GetString()));
        var errors = await ExportHttp.LinesAsync(http, manifest.GetProperty("error")[0].GetProperty("url").GetString()!);
        var left = errors.Select(e => e.GetProperty("issue")[0].GetProperty("diagnostics").GetString()!).ToList();
        Assert.Equal(2, left.Count);
        Assert.Contains(left, d => d.Contains("'export.Observation'", StringComparison.Ordinal) && d.Contains("left out", StringComparison.Ordinal));
        Assert.Contains(left, d => d.Contains("'export.Patient'", StringComparison.Ordinal));
        var entries = await _governance!.Audit.ListAsync();
        var audit = Assert.Single(entries, a => a.Entry.EntryPoint == EntryPoints.ServerExport);
        Assert.Equal((AuditOutcomes.Ok, 1L), (audit.Entry.Outcome, audit.Entry.Rows));
        Assert.Equal(["export.Organization"], audit.Entry.Tables);

        // Every status poll and every download is audited too, as the client's identity, never with content.
        Assert.Contains(entries, a => a.Entry.EntryPoint == EntryPoints.ServerStatus && a.Entry.User == "research-lab");
        var download = Assert.Single(entries, a => a.Entry.EntryPoint == EntryPoints.ServerDownload);
        Assert.Equal(("research-lab", "data-scientist", "research"), (download.Entry.User, download.Entry.Role, download.Entry.Purpose));
        Assert.EndsWith("/files/errors-1.ndjson", download.Entry.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_clinician_exports_every_type_the_export_is_audited_with_its_count_and_no_other_client_can_fetch_it()
    {
        using var http = await AuthorizedAsync("ward-7", _clinic);

        using var kickOff = await ExportHttp.KickOffAsync(http, Server.BaseUrl + "/$export");
        var manifest = await ExportHttp.ManifestAsync(http, ExportHttp.StatusUrl(kickOff));

        Assert.Equal(["Observation", "Organization", "Patient"], manifest.GetProperty("output").EnumerateArray().Select(o => o.GetProperty("type").GetString()));
        Assert.Empty(manifest.GetProperty("error").EnumerateArray());
        var audit = Assert.Single(await _governance!.Audit.ListAsync(), a => a.Entry.EntryPoint == EntryPoints.ServerExport);
        Assert.Equal(("ward-7", "clinician", AuditOutcomes.Ok, 3L), (audit.Entry.User, audit.Entry.Role, audit.Entry.Outcome, audit.Entry.Rows));

        using var other = await AuthorizedAsync("research-lab", _research);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(ExportHttp.StatusUrl(kickOff))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(manifest.GetProperty("output")[2].GetProperty("url").GetString())).StatusCode);
    }

    [Fact]
    public async Task A_governed_server_refuses_a_client_registration_without_role_or_purpose()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => BulkExportServer.StartAsync(new BulkServerOptions
        {
            Lake = _lake.Store,
            Governance = _governance,
            Auth = new SmartAuthOptions { Clients = [new RegisteredClient("anonymous", _research, ["system/*.read"])] },
        }));

        Assert.Contains("client 'anonymous' has no Role or Purpose", error.Message, StringComparison.Ordinal);
    }
}
