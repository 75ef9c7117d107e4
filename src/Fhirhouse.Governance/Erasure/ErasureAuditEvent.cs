namespace Fhirhouse.Governance.Erasure;

/// <summary>
/// One audited step of an erasure: when, by whom, of which subject (the keyed hash of the patient id), whether it was a
/// dry run, the outcome ("started", "completed", "failed"), the report's object key once stored, and a failure's message.
/// </summary>
public sealed record ErasureAuditEvent(
    DateTimeOffset At,
    string Operator,
    string Subject,
    bool DryRun,
    string Outcome,
    string? ReportKey,
    string? Failure);
