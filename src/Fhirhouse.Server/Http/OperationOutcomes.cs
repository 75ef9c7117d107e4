using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Fhirhouse.Server.Http;

/// <summary>OperationOutcome JSON, the body of every error the server answers.</summary>
internal static class OperationOutcomes
{
    public static string Json(string severity, string code, string diagnostics) => JsonSerializer.Serialize(new
    {
        resourceType = "OperationOutcome",
        issue = new[] { new { severity, code, diagnostics } },
    });

    public static async Task WriteAsync(HttpContext context, int status, string code, string diagnostics)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/fhir+json";
        await context.Response.WriteAsync(Json("error", code, diagnostics), context.RequestAborted).ConfigureAwait(false);
    }
}
