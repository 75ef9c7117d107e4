using Fhirhouse.Governance.Audit;
using Fhirhouse.Governance.Identity;
using Fhirhouse.Governance.Policies;
using Fhirhouse.Query.Access;

namespace Fhirhouse.Cli.Commands;

/// <summary>
/// The guard of the <c>ml</c> commands. Changing the registry or the ml tables (train, run, promote, rollback, score,
/// monitor) is the named decision <see cref="Manage"/> (the shipped policies: admin and data-scientist for operations);
/// reading the registry is a read of <c>ml.models</c>. The feature SQL itself runs through the governed query engine
/// as the same identity, so the guard decides and the audit log records every table it reads. Every command is audited
/// under <see cref="EntryPoints.CliMl"/>, refusals and failures included.
/// </summary>
internal static class MlAccess
{
    /// <summary>The named decision of every command that changes models or ml tables.</summary>
    public const string Manage = "ml-manage";

    /// <summary>Throws <see cref="AccessDeniedException"/>, after auditing the refusal, unless the policies allow <paramref name="decision"/>.</summary>
    public static async Task AuthorizeAsync(AccessIdentity identity, PolicySet policies, AuditLog audit, string decision, string query, IReadOnlyList<string> tables, CancellationToken cancellationToken)
    {
        var path = decision == Manage ? null : Ml.Registry.MlTables.All.FirstOrDefault(t => t.Name == decision)?.Path;
        var verdict = policies.Decide(identity.Role, identity.Purpose, decision, path);
        if (!verdict.Allowed)
        {
            await AppendAsync(audit, identity, query, tables, 0, AuditOutcomes.Denied, verdict.Reason, cancellationToken).ConfigureAwait(false);
            throw new AccessDeniedException(verdict.Reason);
        }
    }

    /// <summary>Appends the audit entry of one ml command.</summary>
    public static Task AppendAsync(AuditLog audit, AccessIdentity identity, string query, IReadOnlyList<string> tables, long rows, string outcome, string? reason, CancellationToken cancellationToken) =>
        audit.AppendAsync(new AuditEntry(identity.User, identity.Role, identity.Purpose, EntryPoints.CliMl, query, tables, rows, outcome, reason), cancellationToken);
}
