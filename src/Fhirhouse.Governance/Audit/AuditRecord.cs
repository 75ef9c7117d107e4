namespace Fhirhouse.Governance.Audit;

/// <summary>A row of <c>tables/audit_log</c>: the entry with the event id and time the log gave it.</summary>
public sealed record AuditRecord(string EventId, DateTimeOffset Time, AuditEntry Entry);
