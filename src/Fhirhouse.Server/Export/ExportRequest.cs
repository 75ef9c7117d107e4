namespace Fhirhouse.Server.Export;

/// <summary>
/// A kick-off request as understood: what to export, from which level, since when, and through which filters; under
/// governance, who asked (<see cref="Identity"/>, for the audit) and the types the policies left out (<see cref="LeftOut"/>).
/// </summary>
internal sealed record ExportRequest(
    ExportLevel Level,
    string? GroupId,
    IReadOnlyList<string>? Types,
    DateTimeOffset? Since,
    IReadOnlyList<string> TypeFilters,
    bool Lenient,
    string RequestUrl)
{
    public Governance.Identity.AccessIdentity? Identity { get; init; }

    /// <summary>
    /// The client whose token started the job (null when the server runs without authorization): its status, files and
    /// cancellation are served to that client only, governed or not.
    /// </summary>
    public string? Owner { get; init; }

    /// <summary>Why each type the policies deny was left out of an export that did not name its types.</summary>
    public IReadOnlyList<string>? LeftOut { get; init; }
}
