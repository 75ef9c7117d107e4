using System.Text;
using Fhirhouse.Governance.Consent;
using Fhirhouse.Governance.Identity;
using Fhirhouse.Governance.Policies;
using Fhirhouse.Query.Access;

namespace Fhirhouse.Governance.Enforcement;

/// <summary>
/// The engine's access guard for one identity: each table is allowed or denied by the <see cref="PolicySet"/>; an allowed
/// table gets the rule's masks (on the columns it has) and its row filter (a <c>consented_for</c> filter becomes the list
/// of consenting patients, read at each query).
/// </summary>
public sealed class PolicyGuard(PolicySet policies, AccessIdentity identity, ConsentRegistry consents, ReadOnlyMemory<byte> hashKey) : ITableAccessGuard
{
    public ReadOnlyMemory<byte> HashKey => hashKey;

    public async ValueTask<TableAccess> AuthorizeAsync(TableAccessRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var decision = policies.Decide(identity.Role, identity.Purpose, request.Name, request.Path);
        if (!decision.Allowed)
        {
            throw new AccessDeniedException(decision.Reason);
        }

        var rule = decision.Rule!;
        // Masks match columns without regard to case, as DuckDB resolves them.
        var columns = request.Columns.Select(c => c.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var masks = rule.Masks.Where(m => columns.Contains(m.Key)).ToDictionary(m => m.Key, m => m.Value, StringComparer.OrdinalIgnoreCase);
        string? filter = null;
        if (rule.Filter is { } rows)
        {
            if (rows.Sql is { } sql)
            {
                filter = sql;
            }
            else
            {
                if (!columns.Contains(rows.Column))
                {
                    throw new AccessDeniedException($"Access denied: rule '{rule.Name}' ({rule.File}) keeps rows of patients consenting to {rows.ConsentedFor} by column '{rows.Column}', which table '{request.Name}' does not have.");
                }

                var patients = await consents.PatientsConsentingToAsync(rows.ConsentedFor!, cancellationToken).ConfigureAwait(false);
                filter = InList(rows.Column, patients);
            }
        }

        return new TableAccess(masks, filter);
    }

    private static string InList(string column, IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            return "false";
        }

        var sql = new StringBuilder("\"").Append(column.Replace("\"", "\"\"", StringComparison.Ordinal)).Append("\" IN (");
        for (var i = 0; i < values.Count; i++)
        {
            sql.Append(i == 0 ? "'" : ", '").Append(values[i].Replace("'", "''", StringComparison.Ordinal)).Append('\'');
        }

        return sql.Append(')').ToString();
    }
}
