using System.Net;
using Fhirhouse.Errors;

namespace Fhirhouse.Ingest.Sources.Bulk;

/// <summary>A response worth retrying (429, 5xx, a refreshed token), with the wait the server asked for.</summary>
internal sealed class TransientHttpException(string url, HttpStatusCode status, TimeSpan? retryAfter)
    : FhirhouseException(ErrorCodes.HttpTransient, ErrorKind.IO, $"{url}: HTTP {(int)status}", isTransient: true)
{
    public string Url { get; } = url;

    public HttpStatusCode Status { get; } = status;

    public TimeSpan? RetryAfter { get; } = retryAfter;
}
