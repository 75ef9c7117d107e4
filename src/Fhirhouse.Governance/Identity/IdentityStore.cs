using Fhirhouse.Delta;
using Fhirhouse.Delta.Schema;
using Fhirhouse.Governance.Audit;
using Fhirhouse.Governance.Policies;
using Fhirhouse.Lake;
using Fhirhouse.Lake.Tables;
using Fhirhouse.Query.Access;
using Fhirhouse.Storage;

namespace Fhirhouse.Governance.Identity;

/// <summary>
/// The lake's identity store, <c>governance.identities</c> (<c>tables/identities</c>): who may reach the lake without
/// holding its keys (the Bulk Data server's clients now; the SQL endpoint's users later), each with the role and purpose
/// the policies decide on. Append-only: each row adds or removes an identity, so the table's history is the record of
/// every change; the identities in force are the last row of each. Changing it is the policies' decision
/// <see cref="ManageDecision"/>, listing it a read of the table; both are audited.
/// </summary>
public static class IdentityStore
{
    public const string TablePath = LakeLayout.Tables + "identities";

    /// <summary>The name a rule allows for a role to add and remove identities.</summary>
    public const string ManageDecision = "identities-manage";

    private const string Add = "add";
    private const string Remove = "remove";

    /// <summary>The table's columns, in row order.</summary>
    public static StructType Schema { get; } = new(
    [
        new StructField("changed_at", PrimitiveType.Timestamp, Nullable: false),
        new StructField("change", PrimitiveType.String, Nullable: false),
        new StructField("kind", PrimitiveType.String, Nullable: false),
        new StructField("name", PrimitiveType.String, Nullable: false),
        new StructField("role", PrimitiveType.String),
        new StructField("purpose", PrimitiveType.String),
        new StructField("scopes", PrimitiveType.String),
        new StructField("credential", PrimitiveType.String),
        new StructField("changed_by", PrimitiveType.String, Nullable: false),
    ]);

    /// <summary>The table as declared to the lake.</summary>
    public static LakeTableDefinition Definition { get; } = new("governance.identities", TablePath, Schema);

    /// <summary>The identities in force of <paramref name="kind"/>, by name, with the table version they were read at.</summary>
    public static async Task<(IReadOnlyList<RegisteredIdentity> Identities, long Version)> ListAsync(IObjectStore lake, string kind, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lake);
        if (await Definition.OpenIfExistsAsync(lake, cancellationToken: cancellationToken).ConfigureAwait(false) is not { } table)
        {
            return ([], -1);
        }

        var snapshot = await table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var changes = new List<object?[]>();
        await foreach (var row in snapshot.ReadRowsAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if ((string)row[2]! == kind)
            {
                changes.Add(row);
            }
        }

        var current = new SortedDictionary<string, RegisteredIdentity>(StringComparer.Ordinal);
        foreach (var row in changes.OrderBy(r => (DateTimeOffset)r[0]!))
        {
            var name = (string)row[3]!;
            if ((string)row[1]! == Remove)
            {
                current.Remove(name);
                continue;
            }

            current[name] = new RegisteredIdentity(kind, name, (string)row[4]!, (string)row[5]!,
                ((string?)row[6] ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries), (string)row[7]!, (DateTimeOffset)row[0]!, (string)row[8]!);
        }

        return ([.. current.Values], snapshot.Version);
    }

    /// <summary>Whether the table changed since <paramref name="version"/> (its log only, no row read), for a registry that caches it.</summary>
    public static async Task<bool> ChangedSinceAsync(IObjectStore lake, long version, CancellationToken cancellationToken = default)
    {
        if (await Definition.OpenIfExistsAsync(lake, cancellationToken: cancellationToken).ConfigureAwait(false) is not { } table)
        {
            return version >= 0;
        }

        var snapshot = await table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return snapshot.Version != version;
    }

    /// <summary>
    /// Adds (or replaces) <paramref name="identity"/> once the policies in force let <paramref name="actor"/> manage
    /// identities and know the identity's role and purpose; audited either way.
    /// </summary>
    public static async Task AddAsync(IObjectStore lake, RegisteredIdentity identity, AccessIdentity actor, PolicySet policies, AuditLog audit, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(policies);
        var operation = $"identities add {identity.Kind} {identity.Name} as {identity.Role}/{identity.Purpose}";
        await DecideAsync(policies, actor, audit, operation, cancellationToken).ConfigureAwait(false);
        if (!policies.Roles.Contains(identity.Role, StringComparer.Ordinal) || !policies.Purposes.Contains(identity.Purpose, StringComparer.Ordinal))
        {
            throw new ArgumentException($"The {identity.Kind} '{identity.Name}' would read as {identity.Role}/{identity.Purpose}, which the policies in force do not define (roles: {string.Join(", ", policies.Roles)}; purposes: {string.Join(", ", policies.Purposes)}).");
        }

        await AppendAsync(lake, [time.GetUtcNow(), Add, identity.Kind, identity.Name, identity.Role, identity.Purpose, string.Join(' ', identity.Scopes), identity.Credential, actor.User], time, cancellationToken).ConfigureAwait(false);
        await audit.AppendAsync(Entry(actor, operation, AuditOutcomes.Ok, null), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes the identity <paramref name="name"/> of <paramref name="kind"/>; false when it was not registered. Audited.</summary>
    public static async Task<bool> RemoveAsync(IObjectStore lake, string kind, string name, AccessIdentity actor, PolicySet policies, AuditLog audit, TimeProvider time, CancellationToken cancellationToken = default)
    {
        var operation = $"identities remove {kind} {name}";
        await DecideAsync(policies, actor, audit, operation, cancellationToken).ConfigureAwait(false);
        var (identities, _) = await ListAsync(lake, kind, cancellationToken).ConfigureAwait(false);
        if (identities.All(i => i.Name != name))
        {
            return false;
        }

        await AppendAsync(lake, [time.GetUtcNow(), Remove, kind, name, null, null, null, null, actor.User], time, cancellationToken).ConfigureAwait(false);
        await audit.AppendAsync(Entry(actor, operation, AuditOutcomes.Ok, null), cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Refuses <paramref name="actor"/> unless the policies let them read the identities' table; audited either way.</summary>
    public static async Task AuthorizeListAsync(PolicySet policies, AccessIdentity actor, AuditLog audit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(audit);
        var decision = policies.Decide(actor.Role, actor.Purpose, Definition.Name, TablePath);
        await audit.AppendAsync(Entry(actor, "identities list", decision.Allowed ? AuditOutcomes.Ok : AuditOutcomes.Denied, decision.Allowed ? null : decision.Reason), cancellationToken).ConfigureAwait(false);
        if (!decision.Allowed)
        {
            throw new AccessDeniedException(decision.Reason);
        }
    }

    private static async Task AppendAsync(IObjectStore lake, object?[] row, TimeProvider time, CancellationToken cancellationToken)
    {
        var table = await Definition.OpenOrCreateAsync(lake, new DeltaTableOptions { TimeProvider = time }, cancellationToken).ConfigureAwait(false);
        await table.AppendAsync([row], cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static async Task DecideAsync(PolicySet policies, AccessIdentity actor, AuditLog audit, string operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(audit);
        if (policies.Decide(actor.Role, actor.Purpose, ManageDecision) is { Allowed: false } denied)
        {
            await audit.AppendAsync(Entry(actor, operation, AuditOutcomes.Denied, denied.Reason), cancellationToken).ConfigureAwait(false);
            throw new AccessDeniedException(denied.Reason);
        }
    }

    private static AuditEntry Entry(AccessIdentity actor, string operation, string outcome, string? reason) =>
        new(actor.User, actor.Role, actor.Purpose, EntryPoints.Identities, operation, [Definition.Name], 0, outcome, reason);
}
