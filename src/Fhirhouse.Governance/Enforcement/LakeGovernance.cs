using Fhirhouse.Governance.Audit;
using Fhirhouse.Governance.Consent;
using Fhirhouse.Governance.Identity;
using Fhirhouse.Governance.Policies;
using Fhirhouse.Lake.Tables;
using Fhirhouse.Query;
using Fhirhouse.Storage;
using Fhirhouse.Storage.Keys;

namespace Fhirhouse.Governance.Enforcement;

/// <summary>
/// Governance of one lake: its policies, its audit log, its consents and the mask key. <see cref="QueryOptions"/> gives
/// an engine that reads as one identity through one entry point: every table through <see cref="PolicyGuard"/>, every
/// statement into the audit log before its rows are returned.
/// </summary>
public sealed class LakeGovernance
{
    private readonly byte[] _hashKey;
    private readonly IObjectStore _store;

    private LakeGovernance(IObjectStore store, PolicySet policies, AuditLog audit, ConsentRegistry consents, byte[] hashKey)
    {
        _store = store;
        Policies = policies;
        Audit = audit;
        Consents = consents;
        _hashKey = hashKey;
    }

    public PolicySet Policies { get; }

    public AuditLog Audit { get; }

    public ConsentRegistry Consents { get; }

    /// <summary>Governance over <paramref name="store"/> (the lake's <c>Objects</c>), the mask key wrapped by <paramref name="keys"/>.</summary>
    public static async Task<LakeGovernance> OpenAsync(IObjectStore store, IKeyProvider keys, PolicySet policies, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(time);
        var key = await MaskKey.LoadOrCreateAsync(store, keys, cancellationToken).ConfigureAwait(false);
        return new LakeGovernance(store, policies, new AuditLog(store, time), new ConsentRegistry(store, time), key);
    }

    /// <summary>
    /// Engine options that read as <paramref name="identity"/> and audit each statement under <paramref name="entryPoint"/>,
    /// naming tables by the lake's catalog (the lake's own tables and the audit log; a host running other rooms passes
    /// its catalog in <paramref name="settings"/>).
    /// </summary>
    public QueryOptions QueryOptions(AccessIdentity identity, string entryPoint, QueryOptions? settings = null)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(entryPoint);
        return (settings ?? new QueryOptions()) with
        {
            Catalog = settings?.Catalog ?? new LakeCatalog(_store, [AuditLog.Definition, Erasure.ErasureLedger.Definition, Fhirhouse.Governance.Policies.PolicyStore.Definition, Fhirhouse.Governance.Identity.IdentityStore.Definition]),
            Guard = new PolicyGuard(Policies, identity, Consents, _hashKey),
            Recorder = new AuditedQueries(Audit, identity, entryPoint),
        };
    }

    /// <summary>
    /// Whether <paramref name="identity"/> may export whole resources of <paramref name="resourceType"/> (Bulk Data NDJSON):
    /// the policy table <c>export.TYPE</c> must be allowed by a rule without masks or row filter, which whole resources cannot apply.
    /// </summary>
    public PolicyDecision DecideExport(AccessIdentity identity, string resourceType)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(resourceType);
        var table = ExportTablePrefix + resourceType;
        var decision = Policies.Decide(identity.Role, identity.Purpose, table);
        return decision is { Allowed: true, Rule: { } rule } && (rule.Masks.Count > 0 || rule.Filter is not null)
            ? new PolicyDecision(false, rule, $"Access denied: rule '{rule.Name}' ({rule.File}) masks columns or filters rows of '{table}', which an export of whole resources cannot apply.")
            : decision;
    }

    /// <summary>The policy table name of a resource type's bulk export: <c>export.Patient</c>.</summary>
    public const string ExportTablePrefix = "export.";
}
