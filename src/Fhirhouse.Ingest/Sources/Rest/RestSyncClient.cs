using Fhirhouse.Ingest.Files;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Fhirhouse.Lake.Landing;
using Fhirhouse.Storage;
using Polly;
using Polly.Retry;

namespace Fhirhouse.Ingest.Sources.Rest;

/// <summary>
/// <c>fhirhouse ingest rest</c>: incremental sync from a FHIR REST server. Per type it searches
/// <c>[base]/[type]?_lastUpdated=gt&lt;mark&gt;&amp;_count=N&amp;_sort=_lastUpdated</c> (or reads
/// <c>[base]/[type]/_history?_since=…</c>, whose DELETE and 410 entries become deletion rows), follows the
/// <c>next</c> links, lands each page (a Bundle) as one raw payload through <see cref="PayloadIngestor"/>, and advances
/// the type's high-water mark in the lake only once every page is committed. 429 and 5xx answers are retried with
/// exponential backoff, honouring <c>Retry-After</c>.
/// </summary>
public sealed class RestSyncClient
{
    private readonly PayloadIngestor _ingestor;
    private readonly HttpClient _http;
    private readonly RestSyncOptions _options;
    private readonly HighWaterMarks _marks;
    private readonly ResiliencePipeline<HttpResponseMessage> _retry;

    public RestSyncClient(IObjectStore lake, PayloadIngestor ingestor, HttpClient http, RestSyncOptions options)
    {
        _ingestor = ingestor;
        _http = http;
        _options = options.Validate();
        _marks = new HighWaterMarks(lake, BaseUrl);
        _retry = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = ingestor.Options.Time }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = Math.Max(options.MaxRetries, 1),
                ShouldHandle = args => ValueTask.FromResult(options.MaxRetries > 0 && args.Outcome switch
                {
                    { Exception: HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } } => false,
                    { Exception: HttpRequestException or TimeoutException } => true,
                    { Exception: TaskCanceledException } => !args.Context.CancellationToken.IsCancellationRequested,
                    { Result: { } response } => IsTransient(response.StatusCode),
                    _ => false,
                }),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
                MaxDelay = options.MaxRetryDelay,
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result)),
                OnRetry = args =>
                {
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    private Uri BaseUrl => new(_options.BaseUrl.AbsoluteUri.TrimEnd('/') + "/");

    /// <summary>Syncs every type in turn, reporting each page landed.</summary>
    public async Task<IngestSummary> SyncAsync(IProgress<PayloadResult>? progress = null, CancellationToken cancellationToken = default)
    {
        var results = new List<PayloadResult>();
        foreach (var type in _options.Types)
        {
            await SyncTypeAsync(type, results, progress, cancellationToken).ConfigureAwait(false);
        }

        return new IngestSummary(results);
    }

    /// <summary>The high-water mark of a type: the latest change landed from this server (null: none yet).</summary>
    public Task<DateTimeOffset?> GetHighWaterMarkAsync(string type, CancellationToken cancellationToken = default) => _marks.ReadAsync(type, cancellationToken);

    private async Task SyncTypeAsync(string type, List<PayloadResult> results, IProgress<PayloadResult>? progress, CancellationToken cancellationToken)
    {
        var mark = await _marks.ReadAsync(type, cancellationToken).ConfigureAwait(false);
        var since = mark is null || _options.Since > mark ? _options.Since : mark;
        var latest = since;
        Uri? url = FirstPage(type, since);
        while (url is not null)
        {
            var body = await GetAsync(url, cancellationToken).ConfigureAwait(false);
            var page = BundlePage.Read(body, url);
            var payload = await _ingestor.Raw.LandAsync(body, ".json", cancellationToken).ConfigureAwait(false);
            var result = await _ingestor.IngestAsync(payload, PayloadFormat.Json, "rest", url.AbsoluteUri, "application/fhir+json", cancellationToken).ConfigureAwait(false);
            results.Add(result);
            progress?.Report(result);
            if (page.Latest > latest || latest is null)
            {
                latest = page.Latest ?? latest;
            }

            url = page.Next;
        }

        if (latest is { } advanced && advanced != mark)
        {
            await _marks.WriteAsync(type, advanced, _ingestor.Options.Time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The first page: a search sorted by <c>_lastUpdated</c> after the mark, or the type's history since the mark.
    /// <c>_since</c> is inclusive, so history asks from one millisecond after the mark (servers keep milliseconds).
    /// </summary>
    private Uri FirstPage(string type, DateTimeOffset? since)
    {
        var count = _options.PageSize.ToString(CultureInfo.InvariantCulture);
        var query = _options.History
            ? $"{type}/_history?_count={count}" + (since is { } s ? "&_since=" + Instant(s.AddMilliseconds(1)) : string.Empty)
            : $"{type}?_count={count}&_sort=_lastUpdated" + (since is { } g ? "&_lastUpdated=gt" + Instant(g) : string.Empty);
        return new Uri(BaseUrl, query);
    }

    private static string Instant(DateTimeOffset instant) =>
        Uri.EscapeDataString(instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));

    private async Task<byte[]> GetAsync(Uri url, CancellationToken cancellationToken)
    {
        using var response = await _retry.ExecuteAsync(
            async token =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/fhir+json"));
                if (_options.BearerToken is { } bearer && Uri.Compare(url, BaseUrl, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0)
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
                }

                return await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, token).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var text = System.Text.Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 300)));
            throw new HttpRequestException($"GET {url} answered {(int)response.StatusCode} {response.ReasonPhrase}: {text}", null, response.StatusCode);
        }

        return body;
    }

    private static bool IsTransient(HttpStatusCode status) => status == HttpStatusCode.TooManyRequests || (int)status >= 500;

    /// <summary>The server's <c>Retry-After</c> (seconds or a date), or null to back off exponentially.</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage? response)
    {
        if (response?.Headers.RetryAfter is not { } retryAfter)
        {
            return null;
        }

        var wait = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - _ingestor.Options.Time.GetUtcNow() : null);
        return wait is { } w ? TimeSpan.FromTicks(Math.Clamp(w.Ticks, 0, _options.MaxRetryDelay.Ticks)) : null;
    }
}
