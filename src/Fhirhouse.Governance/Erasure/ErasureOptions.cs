using Fhirhouse.Lake.Erasure;

namespace Fhirhouse.Governance.Erasure;

/// <summary>How an erasure runs. <see cref="Validate"/> names the bad setting.</summary>
public sealed record ErasureOptions
{
    /// <summary>Who asked for it (recorded in the report and the audit).</summary>
    public required string Operator { get; init; }

    /// <summary>Where the erasure is audited.</summary>
    public required IErasureAudit Audit { get; init; }

    /// <summary>Only find and count what would be removed; write nothing but the audit.</summary>
    public bool DryRun { get; init; }

    /// <summary>The clock for the report, the audit and the commits.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// How long a data file that no commit names is kept by the erasure's VACUUM (default 1 hour): writers write their
    /// files before they commit them, so a younger one may belong to an ingestion or a views build running beside the
    /// erasure. Files that any commit removed are deleted whatever their age. An orphan younger than this (from a writer
    /// that crashed) is removed by running the erasure again later.
    /// </summary>
    public TimeSpan UncommittedGrace { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The rooms that keep patient data in formats of their own under <c>jobs/</c> (the export server's jobs, the
    /// sources' resume state), registered by the host: each erases what it owns; objects no participant owns are
    /// stripped or deleted when they mention the patient.
    /// </summary>
    public IReadOnlyList<IErasureParticipant> Participants { get; init; } = [];

    public ErasureOptions Validate()
    {
        if (string.IsNullOrWhiteSpace(Operator))
        {
            throw new ArgumentException("An erasure needs an operator (who asked for it); got an empty name.");
        }

        ArgumentNullException.ThrowIfNull(Audit);
        ArgumentNullException.ThrowIfNull(Time);
        ArgumentNullException.ThrowIfNull(Participants);
        if (UncommittedGrace <= TimeSpan.Zero)
        {
            throw new ArgumentException($"UncommittedGrace must be positive (got {UncommittedGrace}): a shorter grace would delete the files of writers running beside the erasure.");
        }

        return this;
    }
}
