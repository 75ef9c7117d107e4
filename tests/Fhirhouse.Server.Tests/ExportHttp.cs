using System.Net;
using System.Text.Json;

namespace Fhirhouse.Server.Tests;

/// <summary>Raw Bulk Data requests against a running server, for protocol tests.</summary>
internal static class ExportHttp
{
    public static async Task<HttpResponseMessage> KickOffAsync(HttpClient http, string url, string? bearer = null, string prefer = "respond-async")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Accept", "application/fhir+json");
        if (prefer.Length > 0)
        {
            request.Headers.Add("Prefer", prefer);
        }

        if (bearer is not null)
        {
            request.Headers.Authorization = new("Bearer", bearer);
        }

        return await http.SendAsync(request);
    }

    public static string StatusUrl(HttpResponseMessage kickOff)
    {
        Assert.Equal(HttpStatusCode.Accepted, kickOff.StatusCode);
        return kickOff.Content.Headers.ContentLocation?.OriginalString ?? kickOff.Headers.GetValues("Content-Location").Single();
    }

    /// <summary>Polls until the manifest comes (200), failing the test after 30 s.</summary>
    public static async Task<JsonElement> ManifestAsync(HttpClient http, string statusUrl)
    {
        for (var i = 0; i < 300; i++)
        {
            using var response = await http.GetAsync(statusUrl);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            }

            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            await Task.Delay(100);
        }

        throw new TimeoutException($"{statusUrl} did not complete");
    }

    public static async Task<(HttpStatusCode Status, string Diagnostics)> OutcomeAsync(HttpResponseMessage response)
    {
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("OperationOutcome", body.GetProperty("resourceType").GetString());
        return (response.StatusCode, body.GetProperty("issue")[0].GetProperty("diagnostics").GetString()!);
    }

    public static async Task<List<JsonElement>> LinesAsync(HttpClient http, string url)
    {
        var text = await http.GetStringAsync(url);
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
    }
}
