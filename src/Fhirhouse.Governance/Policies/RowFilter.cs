namespace Fhirhouse.Governance.Policies;

/// <summary>
/// Rows a rule lets through: a SQL predicate over the table's columns (<see cref="Sql"/>), or only the rows whose
/// <see cref="Column"/> names a patient with an active permit Consent for <see cref="ConsentedFor"/>.
/// </summary>
public sealed record RowFilter(string? Sql, string? ConsentedFor, string Column);
