using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Fhirhouse.Ingest.Tests.Sources;

/// <summary>
/// A small FHIR REST server on 127.0.0.1 (HttpListener, a free port): searchset pages sorted by
/// <c>_lastUpdated</c> with <c>gt</c> filtering and absolute <c>next</c> links, <c>_history</c> with deletions, an
/// optional bearer token, and injected failures (status codes answered before the real answer).
/// </summary>
internal sealed class FhirTestServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly List<StoredVersion> _versions = [];
    private readonly Task _loop;
    private readonly Lock _gate = new();
    private DateTimeOffset _clock = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public FhirTestServer(string? token = null)
    {
        Token = token;
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        BaseUrl = new Uri($"http://127.0.0.1:{port}/fhir");
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public Uri BaseUrl { get; }

    public string? Token { get; }

    /// <summary>Status codes to answer, in order, before serving normally (e.g. 429, 503).</summary>
    public ConcurrentQueue<int> Faults { get; } = new();

    /// <summary>Every request's path and query, and the status answered.</summary>
    public ConcurrentQueue<(string Url, int Status)> Requests { get; } = new();

    /// <summary>Creates or updates a resource: a new version one second after the previous change.</summary>
    public void Put(string type, string id, string? family = null)
    {
        lock (_gate)
        {
            _clock = _clock.AddSeconds(1);
            var version = _versions.Count(v => v.Type == type && v.Id == id) + 1;
            var resource = new JsonObject
            {
                ["resourceType"] = type,
                ["id"] = id,
                ["meta"] = new JsonObject { ["versionId"] = version.ToString(CultureInfo.InvariantCulture), ["lastUpdated"] = Instant(_clock) },
            };
            if (family is not null)
            {
                resource["name"] = new JsonArray(new JsonObject { ["family"] = family });
            }

            _versions.Add(new StoredVersion(type, id, version, _clock, resource.ToJsonString()));
        }
    }

    public void Delete(string type, string id)
    {
        lock (_gate)
        {
            _clock = _clock.AddSeconds(1);
            _versions.Add(new StoredVersion(type, id, _versions.Count(v => v.Type == type && v.Id == id) + 1, _clock, null));
        }
    }

    private static string Instant(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var (status, body, retryAfter) = Answer(context.Request);
            Requests.Enqueue((context.Request.Url!.PathAndQuery, status));
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/fhir+json";
            if (retryAfter)
            {
                context.Response.AddHeader("Retry-After", "1");
            }

            var bytes = Encoding.UTF8.GetBytes(body);
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private (int Status, string Body, bool RetryAfter) Answer(HttpListenerRequest request)
    {
        if (Token is not null && request.Headers["Authorization"] != "Bearer " + Token)
        {
            return (401, Outcome("no or wrong bearer token"), false);
        }

        if (Faults.TryDequeue(out var fault))
        {
            return (fault, Outcome("injected"), fault == 429);
        }

        var segments = request.Url!.AbsolutePath.Trim('/').Split('/');
        var query = request.QueryString;
        var count = int.Parse(query["_count"] ?? "10", CultureInfo.InvariantCulture);
        var offset = int.Parse(query["_offset"] ?? "0", CultureInfo.InvariantCulture);
        List<StoredVersion> selected;
        bool history;
        lock (_gate)
        {
            if (segments is ["fhir", var type])
            {
                history = false;
                var after = query["_lastUpdated"] is { } gt ? DateTimeOffset.Parse(gt[2..], CultureInfo.InvariantCulture) : DateTimeOffset.MinValue;
                selected = [.. _versions.Where(v => v.Type == type).GroupBy(v => v.Id).Select(g => g.Last())
                    .Where(v => v.Resource is not null && v.LastUpdated > after).OrderBy(v => v.LastUpdated)];
            }
            else if (segments is ["fhir", var historyType, "_history"])
            {
                history = true;
                var since = query["_since"] is { } s ? DateTimeOffset.Parse(s, CultureInfo.InvariantCulture) : DateTimeOffset.MinValue;
                selected = [.. _versions.Where(v => v.Type == historyType && v.LastUpdated >= since).OrderByDescending(v => v.LastUpdated)];
            }
            else
            {
                return (404, Outcome("unknown path"), false);
            }
        }

        var bundle = new JsonObject { ["resourceType"] = "Bundle", ["type"] = history ? "history" : "searchset", ["total"] = selected.Count };
        var links = new JsonArray(new JsonObject { ["relation"] = "self", ["url"] = request.Url.AbsoluteUri });
        if (offset + count < selected.Count)
        {
            var next = new UriBuilder(request.Url) { Query = SetOffset(request.Url.Query, offset + count) };
            links.Add(new JsonObject { ["relation"] = "next", ["url"] = next.Uri.AbsoluteUri });
        }

        bundle["link"] = links;
        var entries = new JsonArray();
        foreach (var v in selected.Skip(offset).Take(count))
        {
            var fullUrl = $"{BaseUrl}/{v.Type}/{v.Id}";
            if (v.Resource is null)
            {
                entries.Add(new JsonObject
                {
                    ["fullUrl"] = fullUrl,
                    ["request"] = new JsonObject { ["method"] = "DELETE", ["url"] = $"{v.Type}/{v.Id}" },
                    ["response"] = new JsonObject { ["status"] = "410 Gone", ["lastModified"] = Instant(v.LastUpdated) },
                });
            }
            else
            {
                var entry = new JsonObject { ["fullUrl"] = fullUrl, ["resource"] = JsonNode.Parse(v.Resource) };
                if (history)
                {
                    entry["request"] = new JsonObject { ["method"] = v.Number == 1 ? "POST" : "PUT", ["url"] = v.Number == 1 ? v.Type : $"{v.Type}/{v.Id}" };
                    entry["response"] = new JsonObject { ["status"] = v.Number == 1 ? "201 Created" : "200 OK", ["lastModified"] = Instant(v.LastUpdated) };
                }

                entries.Add(entry);
            }
        }

        bundle["entry"] = entries;
        return (200, bundle.ToJsonString(), false);
    }

    private static string SetOffset(string query, int offset)
    {
        var parts = query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Where(p => !p.StartsWith("_offset=", StringComparison.Ordinal));
        return string.Join('&', parts.Append("_offset=" + offset.ToString(CultureInfo.InvariantCulture)));
    }

    private static string Outcome(string text) =>
        new JsonObject { ["resourceType"] = "OperationOutcome", ["issue"] = new JsonArray(new JsonObject { ["severity"] = "error", ["code"] = "transient", ["diagnostics"] = text }) }.ToJsonString();

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }

    private sealed record StoredVersion(string Type, string Id, int Number, DateTimeOffset LastUpdated, string? Resource);
}
