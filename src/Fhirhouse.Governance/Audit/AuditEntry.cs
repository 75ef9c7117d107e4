namespace Fhirhouse.Governance.Audit;

/// <summary>
/// What happened, as the caller of <see cref="AuditLog.AppendAsync"/> tells it: who (user, role, purpose), through which
/// entry point (<see cref="EntryPoints"/>), the query or operation text, the tables read, rows returned, outcome
/// (<c>ok</c>, <c>denied</c>, <c>error</c>) and its reason. Never put patient data in it beyond what the query text holds.
/// </summary>
public sealed record AuditEntry(
    string User,
    string Role,
    string Purpose,
    string EntryPoint,
    string? Query,
    IReadOnlyList<string> Tables,
    long Rows,
    string Outcome,
    string? Reason);
