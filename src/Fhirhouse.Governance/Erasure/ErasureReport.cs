using Fhirhouse.Lake.Erasure;

namespace Fhirhouse.Governance.Erasure;

/// <summary>
/// What an erasure removed, zone by zone, signed with a key derived from the lake's governance secret
/// (<see cref="ErasureReportSigner"/>). The patient appears only as <see cref="Subject"/>, the keyed hash of
/// "Patient/ID": whoever holds the lake's keys can check that a given patient was erased, nobody can read the id back.
/// </summary>
public sealed record ErasureReport(
    string Format,
    string Subject,
    string Operator,
    DateTimeOffset StartedAt,
    DateTimeOffset CompletedAt,
    bool DryRun,
    IReadOnlyList<PayloadErasure> Payloads,
    IReadOnlyList<TableErasure> Tables,
    IReadOnlyList<JobFileErasure> JobFiles,
    IReadOnlyList<string> NeedRebuild,
    IReadOnlyList<string> Notes,
    string? Signature)
{
    /// <summary>The format name written in <see cref="Format"/>.</summary>
    public const string CurrentFormat = "fhirhouse-erasure-report/1";

    /// <summary>True when nothing of the patient was found in any zone.</summary>
    public bool NothingFound => Payloads.Count == 0 && JobFiles.Count == 0 && Tables.All(t => t.RowsDeleted == 0);
}
