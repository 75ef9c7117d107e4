using System.Globalization;
using Fhirhouse.Errors;
using Microsoft.AspNetCore.Http;

namespace Fhirhouse.Server.Http;

/// <summary>
/// Every failure of a request becomes an HTTP status and an OperationOutcome here and only here: a refusal keeps its
/// status; a transient error is 503 with <c>Retry-After</c>; a usage error 400; an access denial 403; any other
/// Fhirhouse error 500 with its message; anything else 500 naming only the error's type (its message may hold data).
/// </summary>
internal static class ProblemMapping
{
    /// <summary>The kind of a refusal answered with <paramref name="status"/>.</summary>
    public static ErrorKind KindOf(int status) => status switch
    {
        401 or 403 => ErrorKind.AccessDenied,
        >= 400 and < 500 => ErrorKind.Usage,
        _ => ErrorKind.IO,
    };

    public static (int Status, string IssueCode, string Diagnostics, bool RetryLater) Map(Exception failure) => failure switch
    {
        FhirProblemException problem => (problem.Status, problem.IssueCode, problem.Message, problem.Status == 503),
        FhirhouseException { IsTransient: true } transient => (503, "transient", $"{transient.Message} ({transient.Code}); try again later.", true),
        FhirhouseException { Kind: ErrorKind.Usage } usage => (400, "invalid", $"{usage.Message} ({usage.Code})", false),
        FhirhouseException { Kind: ErrorKind.AccessDenied } denied => (403, "forbidden", $"{denied.Message} ({denied.Code})", false),
        FhirhouseException other => (500, "exception", $"{other.Message} ({other.Code})", false),
        _ => (500, "exception", $"internal error ({failure.GetType().Name})", false),
    };

    /// <summary>Answers <paramref name="failure"/> as an OperationOutcome, with <c>Retry-After</c> when trying again may succeed.</summary>
    public static Task WriteAsync(HttpContext context, Exception? failure, int retryAfterSeconds)
    {
        var (status, code, diagnostics, retryLater) = failure is null ? (500, "exception", "internal error", false) : Map(failure);
        if (retryLater)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, retryAfterSeconds).ToString(CultureInfo.InvariantCulture);
        }

        return OperationOutcomes.WriteAsync(context, status, code, diagnostics);
    }
}
