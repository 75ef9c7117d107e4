using System.Globalization;
using Fhirhouse.Fhir.Resources;
using Fhirhouse.Server.Http;
using Microsoft.AspNetCore.Http;

namespace Fhirhouse.Server.Export;

/// <summary>Reads a kick-off request's headers and parameters, refusing what is malformed or not supported, by name.</summary>
internal static class ExportRequestParser
{
    private static readonly HashSet<string> s_formats = new(["application/fhir+ndjson", "application/ndjson", "ndjson"], StringComparer.Ordinal);

    /// <summary>The kick-off <paramref name="request"/>, recorded as <paramref name="requestUrl"/> (built from the server's base URL, not the Host header).</summary>
    public static ExportRequest Parse(HttpRequest request, ExportLevel level, string? groupId, string requestUrl)
    {
        var prefer = request.Headers["Prefer"].ToString();
        if (!prefer.Contains("respond-async", StringComparison.OrdinalIgnoreCase))
        {
            throw new FhirProblemException(400, "invalid", "Bulk Data kick-off needs the header 'Prefer: respond-async'.");
        }

        var lenient = prefer.Contains("handling=lenient", StringComparison.OrdinalIgnoreCase);
        List<string>? types = null;
        DateTimeOffset? since = null;
        var typeFilters = new List<string>();
        foreach (var (name, values) in request.Query)
        {
            switch (name)
            {
                case "_outputFormat":
                    var format = values.ToString();
                    if (!s_formats.Contains(format))
                    {
                        throw new FhirProblemException(400, "not-supported", $"_outputFormat '{format}' is not supported; use application/fhir+ndjson.");
                    }

                    break;
                case "_type":
                    types ??= [];
                    foreach (var type in values.SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
                    {
                        if (!FhirResourceTypes.IsKnown(type))
                        {
                            throw new FhirProblemException(400, "invalid", $"_type names '{type}', which is not an R4 resource type.");
                        }

                        types.Add(type);
                    }

                    break;
                case "_since":
                    if (!DateTimeOffset.TryParse(values.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                    {
                        throw new FhirProblemException(400, "invalid", $"_since '{values}' is not a FHIR instant (e.g. 2024-01-01T00:00:00Z).");
                    }

                    since = parsed.ToUniversalTime();
                    break;
                case "_typeFilter":
                    foreach (var value in values)
                    {
                        typeFilters.AddRange(TypeFilter.SplitList(value ?? string.Empty));
                    }

                    break;
                default:
                    throw new FhirProblemException(400, "not-supported",
                        $"Parameter '{name}' is not supported by this server (supported: _outputFormat, _type, _since, _typeFilter).");
            }
        }

        return new ExportRequest(level, groupId, types?.Distinct(StringComparer.Ordinal).ToList(), since, typeFilters, lenient, requestUrl);
    }
}
