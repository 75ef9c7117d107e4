using Fhirhouse.Governance.Erasure;
using Fhirhouse.Governance.Identity;

namespace Fhirhouse.Governance.Audit;

/// <summary>
/// Erasures in the lake's audit log: one row per step (started, completed, failed) under the entry point
/// <see cref="EntryPoints.Forget"/>, naming the subject by its keyed hash only, never the patient's id or data.
/// </summary>
public sealed class AuditedErasure(AuditLog log, AccessIdentity identity) : IErasureAudit
{
    /// <inheritdoc />
    public async Task RecordAsync(ErasureAuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        var what = $"forget subject {auditEvent.Subject}{(auditEvent.DryRun ? " (dry run)" : "")}: {auditEvent.Outcome}"
            + (auditEvent.ReportKey is { } key ? $", report {key}" : "");
        var outcome = auditEvent.Outcome == "failed" ? AuditOutcomes.Error : AuditOutcomes.Ok;
        await log.AppendAsync(
            new AuditEntry(identity.User, identity.Role, identity.Purpose, EntryPoints.Forget, what, [], 0, outcome, auditEvent.Failure),
            cancellationToken).ConfigureAwait(false);
    }
}
