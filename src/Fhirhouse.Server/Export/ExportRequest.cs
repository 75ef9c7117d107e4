namespace Fhirhouse.Server.Export;

/// <summary>A kick-off request as understood: what to export, from which level, since when, and through which filters.</summary>
internal sealed record ExportRequest(
    ExportLevel Level,
    string? GroupId,
    IReadOnlyList<string>? Types,
    DateTimeOffset? Since,
    IReadOnlyList<string> TypeFilters,
    bool Lenient,
    string RequestUrl);
