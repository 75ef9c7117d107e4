using Fhirhouse.Lake.Landing;

namespace Fhirhouse.Ingest.Files;

/// <summary>What an ingestion run did, payload by payload and in total.</summary>
public sealed record IngestSummary(IReadOnlyList<PayloadResult> Payloads)
{
    public long Resources => Payloads.Sum(p => p.Resources);

    public long Deleted => Payloads.Sum(p => p.Deleted);

    public long Quarantined => Payloads.Sum(p => p.Quarantined);

    public int AlreadyIngested => Payloads.Count(p => p.AlreadyIngested);
}
