using Fhirhouse.Governance.Audit;
using Fhirhouse.Governance.Identity;
using Fhirhouse.Governance.Policies;
using Fhirhouse.Lake.Bronze;
using Fhirhouse.Nlp.Annotations;
using Fhirhouse.Query.Access;

namespace Fhirhouse.Cli.Commands;

/// <summary>
/// The guard of the nlp commands that read the lake's free text as written (<c>nlp annotate</c>, <c>show</c>,
/// <c>text --resource</c>): the identity must be given bronze and <c>gold.nlp_annotations</c> by the policies unmasked and
/// unfiltered (a masked or consent-filtered reading of a note is not the note); every refusal is audited, and the command
/// audits what it then read.
/// </summary>
internal static class NlpAccess
{
    /// <summary>The tables these commands read and write, by qualified name, as the audit log lists them.</summary>
    public static IReadOnlyList<string> Tables { get; } = [BronzeTable.Definition.Name, NlpAnnotationsTable.Name];

    /// <summary>Throws <see cref="AccessDeniedException"/>, after auditing the refusal, unless the identity may read the text as written.</summary>
    public static async Task AuthorizeAsync(AccessIdentity identity, PolicySet policies, AuditLog audit, string operation, string query, CancellationToken cancellationToken)
    {
        foreach (var (name, path) in new[] { (BronzeTable.Definition.Name, BronzeTable.TablePath), (NlpAnnotationsTable.Name, NlpAnnotationsTable.Definition.Path) })
        {
            var decision = policies.Decide(identity.Role, identity.Purpose, name, path);
            var reason = !decision.Allowed ? decision.Reason
                : decision.Rule is { } rule && (rule.Masks.Count > 0 || rule.Filter is not null)
                    ? $"Access denied: {operation} reads the text as written, and rule '{rule.Name}' gives table '{name}' to role '{identity.Role}' for purpose '{identity.Purpose}' only masked or filtered."
                    : null;
            if (reason is not null)
            {
                await AppendAsync(audit, identity, query, 0, AuditOutcomes.Denied, reason, cancellationToken).ConfigureAwait(false);
                throw new AccessDeniedException(reason);
            }
        }
    }

    /// <summary>Appends the audit entry of one nlp command over the lake.</summary>
    public static Task AppendAsync(AuditLog audit, AccessIdentity identity, string query, long rows, string outcome, string? reason, CancellationToken cancellationToken) =>
        audit.AppendAsync(new AuditEntry(identity.User, identity.Role, identity.Purpose, EntryPoints.CliNlp, query, Tables, rows, outcome, reason), cancellationToken);
}
