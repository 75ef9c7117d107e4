using Fhirhouse.Lake.Erasure;

namespace Fhirhouse.Governance.Erasure;

/// <summary>
/// An erasure's progress, kept in the lake (<c>jobs/erasure/in-progress/SUBJECT.json</c>) after each step so that a
/// run interrupted at any point is completed by the next one. Holds object keys, table paths and counts: no patient data.
/// </summary>
internal sealed class ErasureJournal
{
    public required string Subject { get; init; }

    public required string Operator { get; set; }

    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>Bronze's version when the erasure began (null: no bronze).</summary>
    public long? BronzeVersionBefore { get; set; }

    /// <summary>Tables that reflected exactly that bronze version (transaction "bronze"): they are moved along with it.</summary>
    public List<string> Followers { get; set; } = [];

    public List<PayloadErasure> Payloads { get; set; } = [];

    public bool RawDone { get; set; }

    public List<JobFileErasure> JobFiles { get; set; } = [];

    public bool JobsDone { get; set; }

    public List<TableErasure> Tables { get; set; } = [];

    public List<string> NeedRebuild { get; set; } = [];

    public void Record(PayloadErasure payload)
    {
        Payloads.RemoveAll(p => string.Equals(p.Key, payload.Key, StringComparison.Ordinal));
        Payloads.Add(payload);
    }

    public TableErasure? Table(string path) => Tables.Find(t => string.Equals(t.Path, path, StringComparison.Ordinal));

    public void Record(TableErasure table)
    {
        Tables.RemoveAll(t => string.Equals(t.Path, table.Path, StringComparison.Ordinal));
        Tables.Add(table);
    }
}
