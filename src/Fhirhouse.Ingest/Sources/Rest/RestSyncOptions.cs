namespace Fhirhouse.Ingest.Sources.Rest;

/// <summary>What <see cref="RestSyncClient"/> fetches and how it retries. <see cref="Validate"/> names the bad setting.</summary>
public sealed record RestSyncOptions
{
    /// <summary>The FHIR server's base URL (<c>https://host/fhir</c>).</summary>
    public required Uri BaseUrl { get; init; }

    /// <summary>The resource types to sync, each with its own high-water mark.</summary>
    public required IReadOnlyList<string> Types { get; init; }

    /// <summary>Where a type without a high-water mark starts (null: from the beginning); a later mark wins.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Read <c>[base]/[type]/_history</c> instead of searching, so that deletions arrive too.</summary>
    public bool History { get; init; }

    /// <summary>The <c>_count</c> asked for each page.</summary>
    public int PageSize { get; init; } = 100;

    /// <summary>A SMART (OAuth 2) access token sent as <c>Authorization: Bearer</c> to the server's origin only.</summary>
    public string? BearerToken { get; init; }

    /// <summary>Retries of a request answered 429, 5xx or not at all.</summary>
    public int MaxRetries { get; init; } = 6;

    /// <summary>The first backoff delay (doubled each retry, with jitter) when the server gives no <c>Retry-After</c>.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between retries, a <c>Retry-After</c> included.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromMinutes(2);

    public RestSyncOptions Validate()
    {
        if (!BaseUrl.IsAbsoluteUri || BaseUrl.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"'{BaseUrl}' is not an http(s) FHIR base URL.");
        }

        if (Types.Count == 0)
        {
            throw new ArgumentException("Name at least one resource type to sync (--type).");
        }

        if (Types.FirstOrDefault(t => !IsResourceType(t)) is { } bad)
        {
            throw new ArgumentException($"'{bad}' is not a resource type.");
        }

        if (PageSize < 1 || MaxRetries < 0 || RetryDelay < TimeSpan.Zero || MaxRetryDelay < RetryDelay)
        {
            throw new ArgumentException($"Bad paging or retry settings: page size {PageSize}, {MaxRetries} retries, delay {RetryDelay}, max delay {MaxRetryDelay}.");
        }

        return this;
    }

    private static bool IsResourceType(string type) => type.Length > 0 && char.IsAsciiLetterUpper(type[0]) && type.All(char.IsAsciiLetter);
}
