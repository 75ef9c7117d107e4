using Fhirhouse.Lake;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Fhirhouse.Delta.Transactions;
using Fhirhouse.Fhir.Ndjson;
using Fhirhouse.Lake.Landing;
using Fhirhouse.Lake.Quarantine;
using Fhirhouse.Lake.Raw;
using Fhirhouse.Storage;
using Polly;
using Polly.Retry;

namespace Fhirhouse.Ingest.Sources.Bulk;

/// <summary>
/// A FHIR Bulk Data Access 2.0 client that lands an export in the lake: kicks off (system, Patient or Group, with
/// <c>_type</c>, <c>_since</c>, <c>_typeFilter</c>), polls the status URL as the server asks (<c>Retry-After</c>,
/// <c>X-Progress</c>), downloads the output files in parallel and lands each through the raw zone and
/// <see cref="PayloadIngestor"/> (source <c>bulk:&lt;base url&gt;</c>): <c>output</c> and <c>deleted</c> files become
/// bronze rows, <c>error</c> files (OperationOutcomes) quarantine rows. Requests are retried after 429, 5xx and dropped
/// connections with exponential backoff (Polly). The job is kept in the lake after every step, so a run after a crash
/// resumes polling or downloading instead of kicking off again. SMART Backend Services authorization when
/// <see cref="BulkExportOptions.Credentials"/> are given.
/// </summary>
public sealed class BulkExportClient : IDisposable
{
    public const string JobPrefix = LakeLayout.BulkClientJobs;
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _http;
    private readonly PayloadIngestor _ingestor;
    private readonly IObjectStore _lake;
    private readonly BulkExportOptions _options;
    private readonly ResiliencePipeline _pipeline;
    private readonly SmartTokenSource? _tokens;
    private readonly SemaphoreSlim _landing = new(1, 1);
    private readonly string _source;
    private int _retries;

    /// <summary>A client landing into <paramref name="lake"/> through <paramref name="ingestor"/> (opened on the same lake).</summary>
    public BulkExportClient(HttpClient http, IObjectStore lake, PayloadIngestor ingestor, BulkExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        _lake = lake;
        _ingestor = ingestor;
        _options = options.Validate();
        _source = "bulk:" + options.BaseUrl.AbsoluteUri.TrimEnd('/');
        _tokens = options.Credentials is { } credentials ? new SmartTokenSource(credentials, options.BaseUrl, options.Time) : null;
        var builder = new ResiliencePipelineBuilder { TimeProvider = options.Time };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder()
                    .Handle<TransientHttpException>()
                    .Handle<HttpRequestException>(e => e.HttpRequestError != HttpRequestError.SecureConnectionError)
                    .Handle<IOException>()
                    .Handle<OperationCanceledException>(e => e.InnerException is TimeoutException),
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
                MaxDelay = options.MaxWait,
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception is TransientHttpException { RetryAfter: { } after } ? Clamp(after) : (TimeSpan?)null),
                OnRetry = _ =>
                {
                    Interlocked.Increment(ref _retries);
                    return ValueTask.CompletedTask;
                },
            });
        }

        _pipeline = builder.Build();
    }

    /// <summary>Requests retried so far (after 429, 5xx, dropped connections or an expired token).</summary>
    public int Retries => _retries;

    /// <summary>Access tokens obtained so far.</summary>
    public int TokensIssued => _tokens?.Issued ?? 0;

    /// <summary>The lake object that keeps the state of the export these options describe.</summary>
    public static string StateKey(BulkExportOptions options) =>
        JobPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(options.KickOffUrl().AbsoluteUri)))[..32] + ".json";

    /// <summary>Runs the export to the end (or resumes the unfinished one these options describe) and lands every file.</summary>
    public async Task<BulkExportResult> RunAsync(IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var stateKey = StateKey(_options);
        var state = await LoadStateAsync(stateKey, cancellationToken).ConfigureAwait(false);
        var resumed = state is { Finished: false };
        if (!resumed)
        {
            state = await KickOffAsync(stateKey, progress, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            progress?.Report($"resuming the export at {state!.StatusUrl} ({state.Done.Count} files already landed)");
        }

        if (state!.Manifest is null)
        {
            try
            {
                state = state with { Manifest = await PollAsync(state.StatusUrl, progress, cancellationToken).ConfigureAwait(false) };
            }
            catch (BulkExportException e) when (resumed && e.Status == HttpStatusCode.NotFound)
            {
                progress?.Report($"the server no longer knows {state.StatusUrl}; kicking off again");
                state = await KickOffAsync(stateKey, progress, cancellationToken).ConfigureAwait(false);
                state = state with { Manifest = await PollAsync(state.StatusUrl, progress, cancellationToken).ConfigureAwait(false) };
            }

            await SaveStateAsync(stateKey, state, cancellationToken).ConfigureAwait(false);
        }

        var manifest = state.Manifest!;
        var files = manifest.Output.Select(o => (Kind: "output", o))
            .Concat((manifest.Deleted ?? []).Select(o => (Kind: "deleted", o)))
            .Concat((manifest.Error ?? []).Select(o => (Kind: "error", o)))
            .ToList();
        var done = new HashSet<string>(state.Done, StringComparer.Ordinal);
        var results = new List<PayloadResult>();
        long serverErrors = 0;
        var landed = done.Count;
        await Parallel.ForEachAsync(files.Where(f => !done.Contains(f.o.Url)), new ParallelOptions { MaxDegreeOfParallelism = _options.Parallelism, CancellationToken = cancellationToken }, async (file, token) =>
        {
            var path = await DownloadAsync(file.o.Url, manifest.RequiresAccessToken, token).ConfigureAwait(false);
            try
            {
                await _landing.WaitAsync(token).ConfigureAwait(false);
                try
                {
                    var payload = await _ingestor.Raw.LandFileAsync(path, ".ndjson", token).ConfigureAwait(false);
                    var result = file.Kind == "error"
                        ? await QuarantineErrorsAsync(payload, file.o.Url, token).ConfigureAwait(false)
                        : await _ingestor.IngestAsync(payload, PayloadFormat.Ndjson, _source, file.o.Url, "application/fhir+ndjson", token).ConfigureAwait(false);
                    results.Add(result);
                    serverErrors += file.Kind == "error" ? result.Quarantined : 0;
                    done.Add(file.o.Url);
                    state = state with { Done = [.. done.Order(StringComparer.Ordinal)] };
                    await SaveStateAsync(stateKey, state, token).ConfigureAwait(false);
                    progress?.Report($"landed {++landed}/{files.Count}: {file.o.Type} {file.o.Url} ({(result.AlreadyIngested ? "already ingested" : $"{result.Resources} resources, {result.Quarantined} quarantined")})");
                }
                finally
                {
                    _landing.Release();
                }
            }
            finally
            {
                File.Delete(path);
            }
        }).ConfigureAwait(false);

        await SaveStateAsync(stateKey, state with { Finished = true }, cancellationToken).ConfigureAwait(false);
        await ReleaseAsync(state.StatusUrl, cancellationToken).ConfigureAwait(false);
        return new BulkExportResult(state.StatusUrl, resumed, manifest.TransactionTime, results, serverErrors);
    }

    private async Task<BulkJobState> KickOffAsync(string stateKey, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var url = _options.KickOffUrl();
        progress?.Report($"kicking off {url}");
        var location = await SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/fhir+json"));
            request.Headers.Add("Prefer", _options.Lenient ? "respond-async, handling=lenient" : "respond-async");
            return request;
        }, withToken: true, (response, _) =>
        {
            if (response.StatusCode != HttpStatusCode.Accepted || response.Content.Headers.ContentLocation is null && !response.Headers.Contains("Content-Location"))
            {
                throw new BulkExportException(url.AbsoluteUri, response.StatusCode, "the kick-off was not answered with 202 Accepted and a Content-Location.");
            }

            var header = response.Content.Headers.ContentLocation?.OriginalString ?? response.Headers.GetValues("Content-Location").First();
            return Task.FromResult(new Uri(url, header).AbsoluteUri);
        }, cancellationToken).ConfigureAwait(false);
        var state = new BulkJobState(url.AbsoluteUri, location, _options.Time.GetUtcNow(), null, [], false);
        await SaveStateAsync(stateKey, state, cancellationToken).ConfigureAwait(false);
        return state;
    }

    private async Task<BulkManifest> PollAsync(string statusUrl, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var deadline = _options.Time.GetUtcNow() + _options.Deadline;
        while (true)
        {
            var (manifest, wait, report) = await SendAsync(() =>
            {
                var request = new HttpRequestMessage(HttpMethod.Get, statusUrl);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                return request;
            }, withToken: true, async (response, token) =>
            {
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    var xProgress = response.Headers.TryGetValues("X-Progress", out var values) ? values.FirstOrDefault() : null;
                    return ((BulkManifest?)null, RetryAfter(response), xProgress);
                }

                var body = await response.Content.ReadFromJsonAsync<BulkManifest>(s_json, token).ConfigureAwait(false)
                    ?? throw new BulkExportException(statusUrl, response.StatusCode, "the completion manifest is empty.");
                return (body, null, null);
            }, cancellationToken).ConfigureAwait(false);
            if (manifest is not null)
            {
                progress?.Report($"export complete: {manifest.Output.Count} files, {manifest.Deleted?.Count ?? 0} deleted, {manifest.Error?.Count ?? 0} error");
                return manifest;
            }

            if (_options.Time.GetUtcNow() > deadline)
            {
                throw new BulkExportException(statusUrl, HttpStatusCode.Accepted, $"the export did not complete within {_options.Deadline}.");
            }

            var delay = Clamp(wait ?? _options.PollInterval);
            progress?.Report($"in progress{(report is null ? string.Empty : ": " + report)}; next poll in {delay.TotalSeconds:F0} s");
            await Task.Delay(delay, _options.Time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<string> DownloadAsync(string url, bool requiresToken, CancellationToken cancellationToken)
    {
        var folder = _options.WorkFolder ?? Path.GetTempPath();
        var path = Path.Combine(folder, $"fhirhouse-bulk-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}.ndjson");
        await SendAsync(() =>
        {
            var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/fhir+ndjson"));
            return request;
        }, requiresToken, async (response, token) =>
        {
            await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            await response.Content.CopyToAsync(file, token).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
        return path;
    }

    /// <summary>An <c>error</c> file: each OperationOutcome becomes a quarantine row (with the server's diagnostics), once.</summary>
    private async Task<PayloadResult> QuarantineErrorsAsync(RawPayload payload, string url, CancellationToken cancellationToken)
    {
        var manifestApp = "manifest:" + payload.Sha256;
        if (await _ingestor.Manifest.IsRecordedAsync(manifestApp, cancellationToken).ConfigureAwait(false))
        {
            return new PayloadResult(url, payload.Key, AlreadyIngested: true, 0, 0, 0);
        }

        var receivedAt = _options.Time.GetUtcNow();
        var rows = new List<QuarantineRow>();
        await using (var stream = await NdjsonReader.DecompressedAsync(await _ingestor.Raw.OpenAsync(payload.Key, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false))
        {
            await foreach (var line in NdjsonReader.ReadAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                rows.Add(new QuarantineRow(_source, payload.Key, line.LineNumber, $"{url}, line {line.LineNumber}",
                    "the server reported an error: " + Describe(line.Json.Span), "OperationOutcome", null, receivedAt));
            }
        }

        if (rows.Count > 0)
        {
            await _ingestor.Quarantine.AppendAsync(rows, new AppTransaction("quarantine:" + payload.Sha256, 1), cancellationToken).ConfigureAwait(false);
        }

        await _ingestor.Manifest.AppendAsync(
            new ManifestRow(payload.Key, payload.Sha256, _source, url, "application/fhir+ndjson", payload.Size, receivedAt, "server-errors", 0, rows.Count),
            new AppTransaction(manifestApp, 1), cancellationToken).ConfigureAwait(false);
        return new PayloadResult(url, payload.Key, AlreadyIngested: false, 0, 0, rows.Count);
    }

    private async Task ReleaseAsync(string statusUrl, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Delete, statusUrl);
            if (_tokens is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await _tokens.GetAsync(SendWithoutTokenAsync, cancellationToken).ConfigureAwait(false));
            }

            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            // The server cleans up expired jobs anyway; telling it early is a courtesy.
        }
    }

    private Task<T> SendWithoutTokenAsync<T>(Func<HttpRequestMessage> build, Func<HttpResponseMessage, CancellationToken, Task<T>> read, CancellationToken cancellationToken) =>
        SendAsync(build, withToken: false, read, cancellationToken);

    /// <summary>One request with retries: 429 and 5xx (waiting as <c>Retry-After</c> asks), dropped connections, and one token refresh after 401.</summary>
    private async Task<T> SendAsync<T>(Func<HttpRequestMessage> build, bool withToken, Func<HttpResponseMessage, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        var refreshed = false;
        var url = "?";
        try
        {
            return await Attempt().ConfigureAwait(false);
        }
        catch (TransientHttpException e)
        {
            throw new BulkExportException(e.Url, e.Status, $"still failing after {_options.MaxRetries} retries.");
        }
        catch (HttpRequestException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BulkExportException(url, e.StatusCode, $"{e.Message} (after {_options.MaxRetries} retries)");
        }

        async Task<T> Attempt() => await _pipeline.ExecuteAsync(async token =>
        {
            using var request = build();
            url = request.RequestUri!.AbsoluteUri;
            if (withToken && _tokens is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await _tokens.GetAsync(SendWithoutTokenAsync, token).ConfigureAwait(false));
            }

            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (response.StatusCode == HttpStatusCode.Unauthorized && withToken && _tokens is not null && !refreshed)
            {
                refreshed = true;
                _tokens.Invalidate();
                throw new TransientHttpException(request.RequestUri!.AbsoluteUri, response.StatusCode, TimeSpan.Zero);
            }

            if (status == 429 || status >= 500)
            {
                throw new TransientHttpException(request.RequestUri!.AbsoluteUri, response.StatusCode, RetryAfter(response));
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new BulkExportException(request.RequestUri!.AbsoluteUri, response.StatusCode, await ReasonAsync(response, token).ConfigureAwait(false));
            }

            return await read(response, token).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - _options.Time.GetUtcNow(),
        _ => null,
    };

    private TimeSpan Clamp(TimeSpan wait) => wait < TimeSpan.Zero ? TimeSpan.Zero : wait > _options.MaxWait ? _options.MaxWait : wait;

    private static async Task<string> ReasonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return body.Length == 0 ? response.ReasonPhrase ?? "no reason given" : Describe(body);
    }

    /// <summary>The diagnostics of an OperationOutcome (or an OAuth error), else the text itself, shortened.</summary>
    private static string Describe(ReadOnlySpan<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json.ToArray());
            var root = document.RootElement;
            if (root.TryGetProperty("issue", out var issues) && issues.ValueKind == JsonValueKind.Array)
            {
                return string.Join("; ", issues.EnumerateArray().Select(i =>
                    i.TryGetProperty("diagnostics", out var d) ? d.GetString()
                    : i.TryGetProperty("details", out var details) && details.TryGetProperty("text", out var t) ? t.GetString()
                    : i.TryGetProperty("code", out var c) ? c.GetString() : null).OfType<string>());
            }

            if (root.TryGetProperty("error", out var error))
            {
                return error.GetString() + (root.TryGetProperty("error_description", out var description) ? ": " + description.GetString() : string.Empty);
            }
        }
        catch (JsonException)
        {
        }

        var text = Encoding.UTF8.GetString(json);
        return text.Length > 300 ? text[..300] + "…" : text;
    }

    private async Task<BulkJobState?> LoadStateAsync(string key, CancellationToken cancellationToken) =>
        await _lake.ExistsAsync(key, cancellationToken).ConfigureAwait(false)
            ? JsonSerializer.Deserialize<BulkJobState>(await _lake.ReadAllBytesAsync(key, cancellationToken).ConfigureAwait(false), s_json)
            : null;

    private Task SaveStateAsync(string key, BulkJobState state, CancellationToken cancellationToken) =>
        _lake.PutAsync(key, JsonSerializer.SerializeToUtf8Bytes(state, s_json), cancellationToken);

    public void Dispose()
    {
        _tokens?.Dispose();
        _landing.Dispose();
    }
}
