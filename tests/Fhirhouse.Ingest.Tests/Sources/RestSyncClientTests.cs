using Fhirhouse.Lake.Landing;
using Fhirhouse.Ingest.Sources.Rest;
using Fhirhouse.Storage;
using Fhirhouse.Storage.Local;
using Fhirhouse.Testing;

namespace Fhirhouse.Ingest.Tests.Sources;

public sealed class RestSyncClientTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly FhirTestServer _server = new(token: "secret-token");
    private readonly HttpClient _http = new();
    private readonly IObjectStore _lake;

    // The lake as every command opens it: envelope-encrypted (the encrypted store reserves _fhirhouse/ for itself).
    public RestSyncClientTests() => _lake = new Fhirhouse.Storage.Encryption.EncryptedObjectStore(
        new LocalObjectStore(Path.Combine(_folder.Path, "lake")),
        Fhirhouse.Storage.Keys.Keyring.LocalKeyring.Create(
            Path.Combine(_folder.Path, "keys", "keyring.json"),
            Fhirhouse.Storage.Keys.Keyring.MasterKey.CreateKeyFile(Path.Combine(_folder.Path, "keys", "master.key"))));

    public void Dispose()
    {
        _http.Dispose();
        _server.Dispose();
        _folder.Dispose();
    }

    private async Task<(RestSyncClient Client, PayloadIngestor Ingestor)> Client(bool history = false, int maxRetries = 4)
    {
        var ingestor = await PayloadIngestor.OpenAsync(_lake, new IngestOptions());
        var client = new RestSyncClient(_lake, ingestor, _http, new RestSyncOptions
        {
            BaseUrl = _server.BaseUrl,
            Types = ["Patient", "Observation"],
            History = history,
            PageSize = 7,
            BearerToken = "secret-token",
            MaxRetries = maxRetries,
            RetryDelay = TimeSpan.FromMilliseconds(10),
            MaxRetryDelay = TimeSpan.FromMilliseconds(50),
        });
        return (client, ingestor);
    }

    private void Seed(int patients, int observations)
    {
        for (var i = 0; i < patients; i++)
        {
            _server.Put("Patient", $"p{i}", family: "F" + i);
        }

        for (var i = 0; i < observations; i++)
        {
            _server.Put("Observation", $"o{i}");
        }
    }

    private static async Task<List<string>> BronzeKeys(PayloadIngestor ingestor) =>
        await ingestor.Bronze.ReadAllAsync().Select(r => $"{r.ResourceType}/{r.Id}/{r.VersionId}{(r.Deleted ? "/deleted" : string.Empty)}").ToListAsync();

    [Fact]
    public async Task A_sync_follows_next_links_through_429_and_503_and_lands_every_resource_once()
    {
        Seed(patients: 20, observations: 16);
        _server.Faults.Enqueue(429);
        _server.Faults.Enqueue(503);
        var (client, ingestor) = await Client();

        var summary = await client.SyncAsync();

        Assert.Equal(36, summary.Resources);
        var keys = await BronzeKeys(ingestor);
        Assert.Equal(36, keys.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(36, keys.Count);
        Assert.Equal(3 + 3, summary.Payloads.Count);
        Assert.Contains(_server.Requests, r => r.Status == 429);
        Assert.Contains(_server.Requests, r => r.Status == 503);
        Assert.Contains(_server.Requests, r => r.Url.Contains("_offset=14", StringComparison.Ordinal));
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 0, 0, 20, TimeSpan.Zero), await client.GetHighWaterMarkAsync("Patient"));
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 0, 0, 36, TimeSpan.Zero), await client.GetHighWaterMarkAsync("Observation"));
        Assert.All(await ingestor.Manifest.ReadAllAsync(), m => Assert.StartsWith(_server.BaseUrl.AbsoluteUri, m.Location, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_second_sync_fetches_only_what_changed_after_the_high_water_mark()
    {
        Seed(patients: 10, observations: 3);
        var (client, ingestor) = await Client();
        await client.SyncAsync();
        _server.Put("Patient", "p3", family: "Renamed");
        _server.Put("Patient", "p10");
        _server.Put("Observation", "o0");
        while (_server.Requests.TryDequeue(out _))
        {
        }

        var second = await client.SyncAsync();

        Assert.Equal(3, second.Resources);
        Assert.Contains(_server.Requests, r => Uri.UnescapeDataString(r.Url).StartsWith("/fhir/Patient?_count=7&_sort=_lastUpdated&_lastUpdated=gt2024-01-01T00:00:10.000Z", StringComparison.Ordinal));
        var current = await ingestor.Bronze.ReadCurrentAsync();
        Assert.Equal(14, current.Count);
        Assert.Equal("2", current["Patient/p3"].VersionId);
        Assert.Contains("Renamed", current["Patient/p3"].Resource, StringComparison.Ordinal);
        Assert.Equal(16, (await BronzeKeys(ingestor)).Count);

        var third = await client.SyncAsync();
        Assert.Equal(0, third.Resources);
    }

    [Fact]
    public async Task A_history_sync_turns_deletions_into_deletion_rows()
    {
        Seed(patients: 5, observations: 2);
        var (client, ingestor) = await Client(history: true);
        await client.SyncAsync();
        _server.Delete("Patient", "p1");
        _server.Put("Patient", "p2", family: "Again");

        var second = await client.SyncAsync();

        Assert.Equal(2, second.Resources);
        Assert.Equal(1, second.Deleted);
        var current = await ingestor.Bronze.ReadCurrentAsync();
        Assert.True(current["Patient/p1"].Deleted);
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 0, 0, 8, TimeSpan.Zero), current["Patient/p1"].LastUpdated);
        Assert.False(current["Patient/p2"].Deleted);
        Assert.Equal(9, (await BronzeKeys(ingestor)).Count);
    }

    [Fact]
    public async Task A_sync_that_fails_midway_keeps_its_mark_and_the_rerun_lands_nothing_twice()
    {
        Seed(patients: 20, observations: 0);
        var (client, ingestor) = await Client(maxRetries: 1);
        var pages = 0;
        var failing = new Failing(() =>
        {
            if (++pages == 2)
            {
                _server.Faults.Enqueue(500);
                _server.Faults.Enqueue(500);
            }
        });

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.SyncAsync(failing));
        Assert.Contains("500", error.Message, StringComparison.Ordinal);
        Assert.Null(await client.GetHighWaterMarkAsync("Patient"));
        Assert.Equal(14, (await BronzeKeys(ingestor)).Count);

        var rerun = await client.SyncAsync();

        Assert.Equal(2, rerun.AlreadyIngested);
        Assert.Equal(20, (await BronzeKeys(ingestor)).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(20, (await BronzeKeys(ingestor)).Count);
    }

    [Fact]
    public async Task A_server_refusing_the_token_fails_naming_the_url_and_status()
    {
        Seed(patients: 1, observations: 0);
        var ingestor = await PayloadIngestor.OpenAsync(_lake, new IngestOptions());
        var client = new RestSyncClient(_lake, ingestor, _http, new RestSyncOptions { BaseUrl = _server.BaseUrl, Types = ["Patient"], BearerToken = "wrong" });

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.SyncAsync());

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Contains("/fhir/Patient?", error.Message, StringComparison.Ordinal);
    }

    private sealed class Failing(Action action) : IProgress<PayloadResult>
    {
        public void Report(PayloadResult value) => action();
    }
}
