using Fhirhouse.Governance.Identity;
using Fhirhouse.Query.Access;

namespace Fhirhouse.Governance.Audit;

/// <summary>The engine's recorder for one identity and entry point: each statement becomes one <see cref="AuditLog"/> row.</summary>
public sealed class AuditedQueries(AuditLog log, AccessIdentity identity, string entryPoint) : IQueryRecorder
{
    public Task RecordAsync(QueryRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var outcome = record.Outcome switch
        {
            QueryOutcome.Ok => AuditOutcomes.Ok,
            QueryOutcome.Denied => AuditOutcomes.Denied,
            _ => AuditOutcomes.Error,
        };
        return log.AppendAsync(new AuditEntry(identity.User, identity.Role, identity.Purpose, entryPoint, record.Sql, record.Tables, record.Rows, outcome, record.Reason), cancellationToken);
    }
}
