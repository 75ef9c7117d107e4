namespace Fhirhouse.Ingest.Sources.Bulk;

/// <summary>What to export from a Bulk Data server and how the client behaves. <see cref="Validate"/> names the bad setting.</summary>
public sealed record BulkExportOptions
{
    /// <summary>The server's FHIR base URL.</summary>
    public required Uri BaseUrl { get; init; }

    public BulkExportLevel Level { get; init; } = BulkExportLevel.System;

    /// <summary>The group id, for <see cref="BulkExportLevel.Group"/>.</summary>
    public string? GroupId { get; init; }

    /// <summary><c>_type</c>: the resource types to export; empty for all.</summary>
    public IReadOnlyList<string> Types { get; init; } = [];

    /// <summary><c>_since</c>: only resources changed (or deleted) at or after this instant.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary><c>_typeFilter</c> queries, e.g. <c>Observation?status=final</c>.</summary>
    public IReadOnlyList<string> TypeFilters { get; init; } = [];

    /// <summary>Asks for <c>Prefer: handling=lenient</c>: the server may ignore what it does not support and say so in its error output.</summary>
    public bool Lenient { get; init; }

    /// <summary>Output files downloaded at once.</summary>
    public int Parallelism { get; init; } = 4;

    /// <summary>Wait between status polls when the server gives no <c>Retry-After</c>.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest wait between polls or retries, whatever the server asks.</summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Retries of one request after 429, 5xx or a dropped connection.</summary>
    public int MaxRetries { get; init; } = 6;

    /// <summary>First backoff delay (exponential with jitter) when the server gives no <c>Retry-After</c>.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest the export may take, kick-off to manifest.</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromHours(24);

    /// <summary>SMART Backend Services authorization; null for an open server.</summary>
    public SmartBackendCredentials? Credentials { get; init; }

    /// <summary>Folder for downloads in flight (default: the system temp folder).</summary>
    public string? WorkFolder { get; init; }

    /// <summary>Clock for waits, backoff and token expiry.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    public BulkExportOptions Validate()
    {
        if (!BaseUrl.IsAbsoluteUri || (BaseUrl.Scheme != Uri.UriSchemeHttp && BaseUrl.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"The base URL must be an absolute http(s) URL (got '{BaseUrl}').");
        }

        if (Level == BulkExportLevel.Group && string.IsNullOrWhiteSpace(GroupId))
        {
            throw new ArgumentException("A Group export needs a group id.");
        }

        if (Level != BulkExportLevel.Group && GroupId is not null)
        {
            throw new ArgumentException($"A group id was given for a {Level} export; use the Group level.");
        }

        if (Parallelism < 1 || MaxRetries < 0)
        {
            throw new ArgumentException($"Parallelism must be at least 1 and MaxRetries at least 0 (got {Parallelism} and {MaxRetries}).");
        }

        if (PollInterval < TimeSpan.Zero || MaxWait <= TimeSpan.Zero || RetryDelay < TimeSpan.Zero)
        {
            throw new ArgumentException("PollInterval and RetryDelay must not be negative, MaxWait must be positive.");
        }

        return this;
    }

    /// <summary>The kick-off URL these options stand for.</summary>
    public Uri KickOffUrl()
    {
        var path = Level switch
        {
            BulkExportLevel.Patient => "Patient/$export",
            BulkExportLevel.Group => $"Group/{Uri.EscapeDataString(GroupId!)}/$export",
            _ => "$export",
        };
        var query = new List<string> { "_outputFormat=" + Uri.EscapeDataString("application/fhir+ndjson") };
        if (Types.Count > 0)
        {
            query.Add("_type=" + Uri.EscapeDataString(string.Join(',', Types)));
        }

        if (Since is { } since)
        {
            query.Add("_since=" + Uri.EscapeDataString(since.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture)));
        }

        query.AddRange(TypeFilters.Select(f => "_typeFilter=" + Uri.EscapeDataString(f)));
        return new Uri($"{BaseUrl.AbsoluteUri.TrimEnd('/')}/{path}?{string.Join('&', query)}");
    }
}
