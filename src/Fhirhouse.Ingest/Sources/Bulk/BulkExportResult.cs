using Fhirhouse.Ingest.Files;
using Fhirhouse.Lake.Landing;

namespace Fhirhouse.Ingest.Sources.Bulk;

/// <summary>What one export run did: the job's status URL, whether it resumed an earlier run, and each file landed.</summary>
public sealed record BulkExportResult(string StatusUrl, bool Resumed, string TransactionTime, IReadOnlyList<PayloadResult> Files, long ServerErrors)
{
    public IngestSummary Summary => new(Files);
}
