using System.Globalization;
using System.Text.Json;
using Fhirhouse.Lake.Bronze;
using Fhirhouse.Server.Http;

namespace Fhirhouse.Server.Export;

/// <summary>
/// One <c>_typeFilter</c> query (<c>Observation?status=final&amp;code=http://loinc.org|8867-4</c>): the resources of
/// its type that match every criterion. Supported search parameters: <c>_id</c>, <c>_lastUpdated</c> (with
/// ge/gt/le/lt/eq), <c>patient</c>/<c>subject</c> (the patient compartment), the top-level codes <c>status</c>,
/// <c>gender</c>, <c>intent</c>, and <c>code</c> (a CodeableConcept, <c>code</c> or <c>system|code</c>); a comma in
/// a value means "or".
/// </summary>
internal sealed class TypeFilter
{
    private static readonly HashSet<string> s_supported = new(["_id", "_lastUpdated", "patient", "subject", "status", "gender", "intent", "code"], StringComparer.Ordinal);
    private readonly IReadOnlyList<(string Name, string[] Values)> _criteria;

    private TypeFilter(string resourceType, IReadOnlyList<(string Name, string[] Values)> criteria)
    {
        ResourceType = resourceType;
        _criteria = criteria;
    }

    public string ResourceType { get; }

    /// <summary>Splits a comma-separated list of filters: a comma starts a new filter only when a type and '?' follow it.</summary>
    public static IEnumerable<string> SplitList(string value)
    {
        var start = 0;
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == ',' && StartsFilter(value.AsSpan(i + 1)))
            {
                yield return value[start..i];
                start = i + 1;
            }
        }

        yield return value[start..];
    }

    /// <summary>
    /// Parses a filter; an unsupported parameter throws (400) unless <paramref name="unsupported"/> is given, which then
    /// receives its name and the filter is null.
    /// </summary>
    public static TypeFilter? Parse(string text, Action<string>? unsupported)
    {
        var question = text.IndexOf('?', StringComparison.Ordinal);
        if (question <= 0)
        {
            throw new FhirProblemException(400, "invalid", $"_typeFilter '{text}' is not of the form Type?param=value.");
        }

        var type = text[..question];
        var criteria = new List<(string, string[])>();
        foreach (var pair in text[(question + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..]);
            if (!s_supported.Contains(name))
            {
                var message = $"_typeFilter '{text}': search parameter '{name}' is not supported (supported: {string.Join(", ", s_supported)}).";
                if (unsupported is null)
                {
                    throw new FhirProblemException(400, "not-supported", message);
                }

                unsupported(message);
                return null;
            }

            criteria.Add((name, value.Split(',')));
        }

        return new TypeFilter(type, criteria);
    }

    public bool Matches(BronzeRow row)
    {
        JsonDocument? document = null;
        try
        {
            foreach (var (name, values) in _criteria)
            {
                var matched = false;
                foreach (var value in values)
                {
                    matched |= name switch
                    {
                        "_id" => row.Id == value,
                        "_lastUpdated" => MatchesDate(row.LastUpdated, value),
                        "patient" or "subject" => row.PatientId is { } patient && (value == patient || value == "Patient/" + patient),
                        "code" => MatchesCode((document ??= JsonDocument.Parse(row.Resource!)).RootElement, value),
                        _ => (document ??= JsonDocument.Parse(row.Resource!)).RootElement.TryGetProperty(name, out var element)
                            && element.ValueKind == JsonValueKind.String && element.GetString() == value,
                    };
                }

                if (!matched)
                {
                    return false;
                }
            }

            return true;
        }
        finally
        {
            document?.Dispose();
        }
    }

    private static bool StartsFilter(ReadOnlySpan<char> rest)
    {
        var i = 0;
        while (i < rest.Length && char.IsAsciiLetter(rest[i]))
        {
            i++;
        }

        return i > 0 && char.IsAsciiLetterUpper(rest[0]) && i < rest.Length && rest[i] == '?';
    }

    private static bool MatchesDate(DateTimeOffset? lastUpdated, string value)
    {
        var prefix = value.Length > 2 && char.IsAsciiLetter(value[0]) ? value[..2] : "eq";
        var text = prefix == "eq" && !char.IsAsciiLetter(value[0]) ? value : value[2..];
        if (lastUpdated is not { } at || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var bound))
        {
            return false;
        }

        return prefix switch
        {
            "ge" => at >= bound,
            "gt" => at > bound,
            "le" => at <= bound,
            "lt" => at < bound,
            _ => at == bound,
        };
    }

    private static bool MatchesCode(JsonElement resource, string value)
    {
        var bar = value.IndexOf('|', StringComparison.Ordinal);
        var system = bar < 0 ? null : value[..bar];
        var code = bar < 0 ? value : value[(bar + 1)..];
        if (!resource.TryGetProperty("code", out var concept) || concept.ValueKind != JsonValueKind.Object
            || !concept.TryGetProperty("coding", out var codings) || codings.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        foreach (var coding in codings.EnumerateArray())
        {
            if (coding.TryGetProperty("code", out var c) && c.GetString() == code
                && (system is null || (coding.TryGetProperty("system", out var s) && s.GetString() == system)))
            {
                return true;
            }
        }

        return false;
    }
}
