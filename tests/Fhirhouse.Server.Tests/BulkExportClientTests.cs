using Fhirhouse.Ingest.Sources.Bulk;
using static Fhirhouse.Server.Tests.Resources;

namespace Fhirhouse.Server.Tests;

/// <summary>The Bulk Data client against our own server: a lake exported into a second lake, through faults and a crash.</summary>
public sealed class BulkExportClientTests(HospitalLake hospital) : IClassFixture<HospitalLake>, IDisposable
{
    private readonly TestLake _target = new();
    private readonly HttpClient _http = new();

    public void Dispose()
    {
        _http.Dispose();
        _target.Dispose();
    }

    private static BulkExportOptions Options(BulkExportServer server) => new()
    {
        BaseUrl = new Uri(server.BaseUrl),
        PollInterval = TimeSpan.FromMilliseconds(100),
        RetryDelay = TimeSpan.FromMilliseconds(20),
        MaxWait = TimeSpan.FromSeconds(5),
        WorkFolder = Path.GetTempPath(),
    };

    private async Task<(BulkExportResult Result, BulkExportClient Client)> ExportAsync(BulkExportOptions options, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var client = new BulkExportClient(_http, _target.Store, await _target.IngestorAsync(), options);
        return (await client.RunAsync(progress, cancellationToken), client);
    }

    private async Task AssertSameCurrentResourcesAsync()
    {
        var expected = (await hospital.Lake.CurrentAsync()).Values.Where(r => !r.Deleted).ToDictionary(r => r.ResourceType + "/" + r.Id, r => r.ContentHash);
        var actual = (await _target.CurrentAsync()).Values.Where(r => !r.Deleted).ToDictionary(r => r.ResourceType + "/" + r.Id, r => r.ContentHash);
        Assert.Equal(hospital.Resources, expected.Count);
        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), actual.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.All((await _target.CurrentAsync()).Values, r => Assert.StartsWith("bulk:http://127.0.0.1:", r.Source, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_hospital_exported_into_a_second_lake_arrives_whole_and_a_second_export_adds_nothing()
    {
        await using var server = await BulkExportServer.StartAsync(new BulkServerOptions { Lake = hospital.Lake.Store, RetryAfterSeconds = 0, ResourcesPerFile = 500 });
        var (first, _) = await ExportAsync(Options(server));
        Assert.False(first.Resumed);
        Assert.Equal(hospital.Resources, first.Summary.Resources);
        await AssertSameCurrentResourcesAsync();

        var version = (await (await _target.IngestorAsync()).Bronze.Table.GetSnapshotAsync()).Version;
        var (second, _) = await ExportAsync(Options(server));
        Assert.NotEqual(first.StatusUrl, second.StatusUrl);
        Assert.All(second.Files, f => Assert.True(f.AlreadyIngested));
        Assert.Equal(version, (await (await _target.IngestorAsync()).Bronze.Table.GetSnapshotAsync()).Version);
    }

    [Fact]
    public async Task Injected_429s_503s_dropped_connections_and_slow_polls_are_ridden_out()
    {
        var faults = new FaultInjector(tooManyOnStatus: 3, unavailableOnFiles: 2, droppedFiles: 2);
        await using var server = await BulkExportServer.StartAsync(new BulkServerOptions
        {
            Lake = hospital.Lake.Store,
            RetryAfterSeconds = 1,
            ResourcesPerFile = 500,
            BeforeEndpoints = faults.Install,
            BeforeType = (_, _, token) => Task.Delay(150, token),
        });
        var messages = new List<string>();
        var (result, client) = await ExportAsync(Options(server) with { Parallelism = 3 }, new SynchronousProgress<string>(m => { lock (messages) { messages.Add(m); } }));

        await AssertSameCurrentResourcesAsync();
        Assert.Equal(0, faults.FaultsLeft);
        Assert.True(client.Retries >= 7, $"retries: {client.Retries}");
        Assert.Equal(1, faults.KickOffs);
        var polls = faults.InProgressPolls.ToArray();
        Assert.True(polls.Length >= 2, $"in-progress polls: {polls.Length}");
        Assert.All(polls.Zip(polls.Skip(1)), p => Assert.True(p.Second - p.First >= 0.95, $"polled {p.Second - p.First:F2} s after the previous one despite Retry-After: 1"));
        Assert.Contains(messages, m => m.Contains("exporting", StringComparison.Ordinal)); // X-Progress reached the caller
        Assert.Equal(hospital.Resources, result.Summary.Resources);
    }

    [Fact]
    public async Task A_client_cancelled_mid_download_resumes_without_kicking_off_again()
    {
        var faults = new FaultInjector();
        await using var server = await BulkExportServer.StartAsync(new BulkServerOptions { Lake = hospital.Lake.Store, RetryAfterSeconds = 0, ResourcesPerFile = 150, BeforeEndpoints = faults.Install });
        var options = Options(server) with { Parallelism = 1 };
        using var crash = new CancellationTokenSource();
        var landed = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ExportAsync(options, new SynchronousProgress<string>(m =>
        {
            if (m.StartsWith("landed", StringComparison.Ordinal) && ++landed == 2)
            {
                crash.Cancel();
            }
        }), crash.Token));
        var state = System.Text.Json.JsonDocument.Parse(await Storage.ObjectStoreExtensions.ReadAllBytesAsync(_target.Store, BulkExportClient.StateKey(options))).RootElement;
        Assert.Equal(2, state.GetProperty("done").GetArrayLength());
        Assert.False(state.GetProperty("finished").GetBoolean());

        var (resumed, _) = await ExportAsync(options);
        Assert.True(resumed.Resumed);
        Assert.Equal(1, faults.KickOffs);
        var files = (await hospital.Lake.CurrentAsync()).Values.GroupBy(r => r.ResourceType).Sum(g => (g.Count() + 149) / 150);
        Assert.Equal(files - 2, resumed.Files.Count);
        Assert.DoesNotContain(resumed.Files, f => f.AlreadyIngested);
        await AssertSameCurrentResourcesAsync();
    }

    [Fact]
    public async Task Deleted_outputs_become_deletion_rows_and_error_outputs_quarantine_rows()
    {
        using var source = new TestLake();
        await source.IngestAsync(Patient("p1"), Patient("p2"), Observation("o1", "p1"), Observation("o2", "p2"));
        await using var server = await BulkExportServer.StartAsync(new BulkServerOptions { Lake = source.Store, RetryAfterSeconds = 0 });
        await ExportAsync(Options(server));
        Assert.Equal(4, (await _target.CurrentAsync()).Values.Count(r => !r.Deleted));

        await source.IngestAsync(Observation("o1", "p1", status: "amended", updated: "2025-06-01T00:00:00Z"), Delete("Observation/o2", "2025-06-02T00:00:00Z"));
        var (result, _) = await ExportAsync(Options(server) with
        {
            Since = DateTimeOffset.Parse("2025-05-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
            TypeFilters = ["Patient?birthdate=2000"],
            Lenient = true,
        });

        var current = await _target.CurrentAsync();
        Assert.True(current["Observation/o2"].Deleted);
        Assert.Contains("amended", current["Observation/o1"].Resource, StringComparison.Ordinal);
        Assert.False(current["Patient/p2"].Deleted);
        Assert.Equal(1, result.ServerErrors);
        var quarantined = Assert.Single(await (await _target.IngestorAsync()).Quarantine.ReadAllAsync());
        Assert.Contains("'birthdate'", quarantined.Reason, StringComparison.Ordinal);
        Assert.StartsWith("bulk:", quarantined.Source, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_still_failing_after_the_retries_fails_the_run_and_a_later_run_resumes_it()
    {
        var faults = new FaultInjector(unavailableOnFiles: 3);
        await using var server = await BulkExportServer.StartAsync(new BulkServerOptions { Lake = hospital.Lake.Store, RetryAfterSeconds = 0, BeforeEndpoints = faults.Install });
        var options = Options(server) with { MaxRetries = 2, Parallelism = 1, Types = ["Patient"] };
        var error = await Assert.ThrowsAsync<BulkExportException>(() => ExportAsync(options));
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, error.Status);
        Assert.Contains("after 2 retries", error.Reason, StringComparison.Ordinal);

        var (resumed, _) = await ExportAsync(options);
        Assert.True(resumed.Resumed);
        Assert.Equal(1, faults.KickOffs);
        Assert.Equal(20, resumed.Summary.Resources);
    }

    [Fact]
    public async Task A_refused_kick_off_fails_with_the_servers_reason()
    {
        await using var server = await BulkExportServer.StartAsync(new BulkServerOptions { Lake = hospital.Lake.Store });
        var error = await Assert.ThrowsAsync<BulkExportException>(() => ExportAsync(Options(server) with { Level = BulkExportLevel.Group, GroupId = "missing" }));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, error.Status);
        Assert.Contains("Group/missing", error.Reason, StringComparison.Ordinal);
    }
}
