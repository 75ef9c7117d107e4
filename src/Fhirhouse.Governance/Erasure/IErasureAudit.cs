namespace Fhirhouse.Governance.Erasure;

/// <summary>
/// Where an erasure is audited. Each call must be durable when its task completes; a failure fails the erasure (the
/// start is recorded before anything is read or removed). Events carry the keyed subject hash, never the patient id.
/// </summary>
public interface IErasureAudit
{
    /// <summary>Records one event durably; throws when it cannot (the erasure then fails).</summary>
    Task RecordAsync(ErasureAuditEvent auditEvent, CancellationToken cancellationToken = default);
}
