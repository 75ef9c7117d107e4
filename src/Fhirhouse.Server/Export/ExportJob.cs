namespace Fhirhouse.Server.Export;

/// <summary>
/// An export job as kept in the lake (<c>jobs/exports/&lt;id&gt;/job.json</c>): the request, the bronze version
/// it reads (so a job resumed after a restart exports the same snapshot), its status and, once completed, its files.
/// </summary>
internal sealed record ExportJob(
    string Id,
    string Status,
    ExportRequest Request,
    DateTimeOffset TransactionTime,
    long BronzeVersion,
    IReadOnlyList<ExportFile> Files,
    string? Failure)
{
    public const string InProgress = "in-progress";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
}
