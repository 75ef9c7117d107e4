using Fhirhouse.Query.Access;

namespace Fhirhouse.Governance.Policies;

/// <summary>
/// One rule of a policy file: for the tables its patterns match (a name or a glob over <c>patient</c>,
/// <c>views.patient</c>, <c>gold.*</c>...), the roles and purposes it applies to (<c>*</c> for any), allow or deny,
/// and for an allow the column masks and row filter.
/// </summary>
public sealed record PolicyRule(
    string Name,
    string File,
    IReadOnlyList<string> Tables,
    IReadOnlyList<string> Roles,
    IReadOnlyList<string> Purposes,
    PolicyEffect Effect,
    IReadOnlyDictionary<string, ColumnMask> Masks,
    RowFilter? Filter)
{
    public bool AppliesTo(string role, string purpose) =>
        (Roles.Contains("*") || Roles.Contains(role, StringComparer.Ordinal))
        && (Purposes.Contains("*") || Purposes.Contains(purpose, StringComparer.Ordinal));

    public bool Matches(IEnumerable<string> tableNames) =>
        Tables.Any(pattern => tableNames.Any(name => TableGlob.IsMatch(pattern, name)));
}
