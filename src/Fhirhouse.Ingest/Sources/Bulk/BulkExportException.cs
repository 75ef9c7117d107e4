using System.Net;
using Fhirhouse.Errors;

namespace Fhirhouse.Ingest.Sources.Bulk;

/// <summary>
/// A Bulk Data export the server refused or failed, or a server still unreachable after the retries: the URL, the HTTP
/// status (when one came) and the server's reason. Transient when no answer came or the server was busy (429, 5xx);
/// an access denial for 401 and 403.
/// </summary>
public sealed class BulkExportException(string url, HttpStatusCode? status, string reason)
    : FhirhouseException(
        ErrorCodes.BulkExportFailed,
        status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden ? ErrorKind.AccessDenied : ErrorKind.IO,
        $"Bulk export {url}: {(status is { } s ? $"HTTP {(int)s}: " : string.Empty)}{reason}",
        isTransient: status is null or HttpStatusCode.TooManyRequests || (int?)status >= 500)
{
    public string Url { get; } = url;

    public HttpStatusCode? Status { get; } = status;

    public string Reason { get; } = reason;
}
