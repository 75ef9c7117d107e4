using System.Net;
using System.Text.Json;
using static Fhirhouse.Server.Tests.Resources;

namespace Fhirhouse.Server.Tests;

public sealed class BulkExportServerTests : IDisposable
{
    private readonly TestLake _lake = new();
    private readonly HttpClient _http = new();

    public void Dispose()
    {
        _http.Dispose();
        _lake.Dispose();
    }

    private Task<BulkExportServer> StartAsync(Func<string, string, CancellationToken, Task>? beforeType = null) =>
        BulkExportServer.StartAsync(new BulkServerOptions { Lake = _lake.Store, RetryAfterSeconds = 1, ResourcesPerFile = 2, BeforeType = beforeType });

    private async Task FillAsync() => await _lake.IngestAsync(
        Patient("p1"), Patient("p2", gender: "male"), Patient("p3"),
        Observation("o1", "p1"), Observation("o2", "p1", status: "preliminary"), Observation("o3", "p2", code: "1234-5"), Observation("o4", "p3"),
        Group("g1", "p1", "p3"));

    [Fact]
    public async Task Kick_off_without_prefer_respond_async_is_refused_with_an_OperationOutcome()
    {
        await using var server = await StartAsync();
        using var response = await ExportHttp.KickOffAsync(_http, server.BaseUrl + "/$export", prefer: string.Empty);
        var (status, diagnostics) = await ExportHttp.OutcomeAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Prefer: respond-async", diagnostics, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("_elements=id", "'_elements'")]
    [InlineData("_type=Patient,Bogus", "'Bogus'")]
    [InlineData("_typeFilter=Observation%3Fcategory%3Dlaboratory", "'category'")]
    [InlineData("_outputFormat=text/csv", "'text/csv'")]
    [InlineData("_since=yesterday", "'yesterday'")]
    public async Task Unsupported_or_malformed_parameters_are_refused_by_name(string query, string named)
    {
        await using var server = await StartAsync();
        using var response = await ExportHttp.KickOffAsync(_http, server.BaseUrl + "/$export?" + query);
        var (status, diagnostics) = await ExportHttp.OutcomeAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(named, diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_system_export_completes_with_a_manifest_and_files_holding_every_current_resource()
    {
        await FillAsync();
        await using var server = await StartAsync();
        using var kickOff = await ExportHttp.KickOffAsync(_http, server.BaseUrl + "/$export");
        var manifest = await ExportHttp.ManifestAsync(_http, ExportHttp.StatusUrl(kickOff));

        Assert.False(manifest.GetProperty("requiresAccessToken").GetBoolean());
        Assert.EndsWith("/$export", manifest.GetProperty("request").GetString(), StringComparison.Ordinal);
        Assert.True(DateTimeOffset.TryParse(manifest.GetProperty("transactionTime").GetString(), out _));
        var outputs = manifest.GetProperty("output").EnumerateArray().ToList();
        Assert.Equal([("Group", 1L), ("Observation", 2L), ("Observation", 2L), ("Patient", 2L), ("Patient", 1L)],
            outputs.Select(o => (o.GetProperty("type").GetString(), o.GetProperty("count").GetInt64())).ToList());
        var ids = new List<string>();
        foreach (var output in outputs)
        {
            var lines = await ExportHttp.LinesAsync(_http, output.GetProperty("url").GetString()!);
            Assert.Equal(output.GetProperty("count").GetInt64(), lines.Count);
            Assert.All(lines, l => Assert.Equal(output.GetProperty("type").GetString(), l.GetProperty("resourceType").GetString()));
            ids.AddRange(lines.Select(l => l.GetProperty("id").GetString()!));
        }

        Assert.Equal(["g1", "o1", "o2", "o3", "o4", "p1", "p2", "p3"], ids);
        Assert.Empty(manifest.GetProperty("error").EnumerateArray());
        Assert.Empty(manifest.GetProperty("deleted").EnumerateArray());
    }

    [Fact]
    public async Task A_running_job_answers_202_with_progress_and_retry_after_and_delete_cancels_it()
    {
        await FillAsync();
        var release = new TaskCompletionSource();
        await using var server = await StartAsync(async (_, _, token) => await release.Task.WaitAsync(token));
        using var kickOff = await ExportHttp.KickOffAsync(_http, server.BaseUrl + "/$export");
        var statusUrl = ExportHttp.StatusUrl(kickOff);

        using (var status = await _http.GetAsync(statusUrl))
        {
            Assert.Equal(HttpStatusCode.Accepted, status.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), status.Headers.RetryAfter?.Delta);
            Assert.False(string.IsNullOrEmpty(status.Headers.GetValues("X-Progress").Single()));
        }

        using (var cancel = await _http.DeleteAsync(statusUrl))
        {
            Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        }

        using var after = await _http.GetAsync(statusUrl);
        Assert.Equal(HttpStatusCode.NotFound, (await ExportHttp.OutcomeAsync(after)).Status);
        using var again = await _http.DeleteAsync(statusUrl);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task A_restarted_server_still_serves_a_finished_job_from_the_lake()
    {
        await FillAsync();
        string statusUrl, fileUrl;
        await using (var first = await StartAsync())
        {
            using var kickOff = await ExportHttp.KickOffAsync(_http, first.BaseUrl + "/$export?_type=Patient");
            var manifest = await ExportHttp.ManifestAsync(_http, ExportHttp.StatusUrl(kickOff));
            statusUrl = ExportHttp.StatusUrl(kickOff)[first.BaseUrl.Length..];
            fileUrl = manifest.GetProperty("output")[0].GetProperty("url").GetString()![first.BaseUrl.Length..];
        }

        await using var second = await StartAsync();
        var again = await ExportHttp.ManifestAsync(_http, second.BaseUrl + statusUrl);
        Assert.Equal(2, again.GetProperty("output").GetArrayLength());
        var lines = await ExportHttp.LinesAsync(_http, second.BaseUrl + fileUrl);
        Assert.Equal(["p1", "p2"], lines.Select(l => l.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task A_job_interrupted_by_a_restart_is_run_again_when_next_polled()
    {
        await FillAsync();
        string statusPath;
        await using (var first = await StartAsync(async (_, _, token) => await Task.Delay(Timeout.Infinite, token)))
        {
            using var kickOff = await ExportHttp.KickOffAsync(_http, first.BaseUrl + "/$export?_type=Observation");
            statusPath = ExportHttp.StatusUrl(kickOff)[first.BaseUrl.Length..];
            using var running = await _http.GetAsync(first.BaseUrl + statusPath);
            Assert.Equal(HttpStatusCode.Accepted, running.StatusCode);
        }

        await using var second = await StartAsync();
        var manifest = await ExportHttp.ManifestAsync(_http, second.BaseUrl + statusPath);
        Assert.Equal(4, manifest.GetProperty("output").EnumerateArray().Sum(o => o.GetProperty("count").GetInt64()));
    }

    [Fact]
    public async Task Since_exports_only_later_changes_and_lists_deletions_as_bundles()
    {
        await FillAsync();
        await _lake.IngestAsync(Observation("o1", "p1", updated: "2025-06-01T00:00:00Z"), Delete("Observation/o3", "2025-06-02T00:00:00Z"), Delete("Patient/p2", "2024-01-01T00:00:00Z"));
        await using var server = await StartAsync();
        using var kickOff = await ExportHttp.KickOffAsync(_http, server.BaseUrl + "/$export?_since=2025-05-01T00:00:00Z");
        var manifest = await ExportHttp.ManifestAsync(_http, ExportHttp.StatusUrl(kickOff));

        var output = Assert.Single(manifest.GetProperty("output").EnumerateArray());
        Assert.Equal("o1", Assert.Single(await ExportHttp.LinesAsync(_http, output.GetProperty("url").GetString()!)).GetProperty("id").GetString());
        var deleted = Assert.Single(manifest.GetProperty("deleted").EnumerateArray());
        Assert.Equal("Bundle", deleted.GetProperty("type").GetString());
        var bundle = Assert.Single(await ExportHttp.LinesAsync(_http, deleted.GetProperty("url").GetString()!));
        Assert.Equal("transaction", bundle.GetProperty("type").GetString());
        var request = bundle.GetProperty("entry")[0].GetProperty("request");
        Assert.Equal(("DELETE", "Observation/o3"), (request.GetProperty("method").GetString(), request.GetProperty("url").GetString()));
    }

    [Fact]
    public async Task A_group_export_holds_only_its_members_compartments_and_an_unknown_group_is_404()
    {
        await FillAsync();
        await using var server = await StartAsync();
        using var kickOff = await ExportHttp.KickOffAsync(_http, server.BaseUrl + "/Group/g1/$export");
        var manifest = await ExportHttp.ManifestAsync(_http, ExportHttp.StatusUrl(kickOff));
        var ids = new List<string>();
        foreach (var output in manifest.GetProperty("output").EnumerateArray())
        {
            ids.AddRange((await ExportHttp.LinesAsync(_http, output.GetProperty("url").GetString()!)).Select(l => l.GetProperty("id").GetString()!));
        }

        Assert.Equal(["g1", "o1", "o2", "o4", "p1", "p3"], ids); // the Group is in p1's compartment (CompartmentDefinition: member)

        using var patients = await ExportHttp.KickOffAsync(_http, server.BaseUrl + "/Patient/$export");
        var all = await ExportHttp.ManifestAsync(_http, ExportHttp.StatusUrl(patients));
        Assert.Equal(8, all.GetProperty("output").EnumerateArray().Sum(o => o.GetProperty("count").GetInt64()));

        using var missing = await ExportHttp.KickOffAsync(_http, server.BaseUrl + "/Group/nope/$export");
        var (status, diagnostics) = await ExportHttp.OutcomeAsync(missing);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("Group/nope", diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Type_filters_keep_matching_resources_and_lenient_handling_reports_an_ignored_filter_as_an_error_output()
    {
        await FillAsync();
        await using var server = await StartAsync();
        var filter = Uri.EscapeDataString("Observation?status=final&code=http://loinc.org|8867-4") + "," + Uri.EscapeDataString("Patient?gender=male");
        using var kickOff = await ExportHttp.KickOffAsync(_http, server.BaseUrl + "/$export?_type=Observation,Patient&_typeFilter=" + filter);
        var manifest = await ExportHttp.ManifestAsync(_http, ExportHttp.StatusUrl(kickOff));
        var ids = new List<string>();
        foreach (var output in manifest.GetProperty("output").EnumerateArray())
        {
            ids.AddRange((await ExportHttp.LinesAsync(_http, output.GetProperty("url").GetString()!)).Select(l => l.GetProperty("id").GetString()!));
        }

        Assert.Equal(["o1", "o4", "p2"], ids);

        using var lenient = await ExportHttp.KickOffAsync(_http, server.BaseUrl + "/$export?_type=Patient&_typeFilter=" + Uri.EscapeDataString("Patient?birthdate=2000"), prefer: "respond-async, handling=lenient");
        var withError = await ExportHttp.ManifestAsync(_http, ExportHttp.StatusUrl(lenient));
        Assert.Equal(3, withError.GetProperty("output").EnumerateArray().Sum(o => o.GetProperty("count").GetInt64()));
        var error = Assert.Single(withError.GetProperty("error").EnumerateArray());
        var outcome = Assert.Single(await ExportHttp.LinesAsync(_http, error.GetProperty("url").GetString()!));
        Assert.Contains("'birthdate'", outcome.GetProperty("issue")[0].GetProperty("diagnostics").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_kick_off_and_unknown_files_are_refused_with_OperationOutcomes()
    {
        await using var server = await StartAsync();
        using var post = await _http.PostAsync(server.BaseUrl + "/$export", new StringContent("{}"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await ExportHttp.OutcomeAsync(post)).Status);
        using var file = await _http.GetAsync(server.BaseUrl + "/_export/0123456789abcdef0123456789abcdef/files/Patient-1.ndjson");
        Assert.Equal(HttpStatusCode.NotFound, (await ExportHttp.OutcomeAsync(file)).Status);
    }
}
