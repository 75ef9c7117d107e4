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

    public ErasureOptions Validate()
    {
        if (string.IsNullOrWhiteSpace(Operator))
        {
            throw new ArgumentException("An erasure needs an operator (who asked for it); got an empty name.");
        }

        ArgumentNullException.ThrowIfNull(Audit);
        ArgumentNullException.ThrowIfNull(Time);
        return this;
    }
}
