using Fhirhouse.Governance.Erasure;

namespace Fhirhouse.Governance.Tests;

/// <summary>An audit trail in memory: every event, in order; fails on demand like a broken audit store.</summary>
internal sealed class RecordingErasureAudit : IErasureAudit
{
    public List<ErasureAuditEvent> Events { get; } = [];

    public bool Broken { get; set; }

    public Task RecordAsync(ErasureAuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        if (Broken)
        {
            throw new IOException("audit store unavailable");
        }

        Events.Add(auditEvent);
        return Task.CompletedTask;
    }
}
