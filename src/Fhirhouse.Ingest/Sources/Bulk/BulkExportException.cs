using System.Net;

namespace Fhirhouse.Ingest.Sources.Bulk;

/// <summary>
/// A Bulk Data export the server refused or failed, or a server still unreachable after the retries: the URL, the HTTP
/// status (when one came) and the server's reason.
/// </summary>
public sealed class BulkExportException(string url, HttpStatusCode? status, string reason)
    : InvalidOperationException($"Bulk export {url}: {(status is { } s ? $"HTTP {(int)s}: " : string.Empty)}{reason}")
{
    public string Url { get; } = url;

    public HttpStatusCode? Status { get; } = status;

    public string Reason { get; } = reason;
}
