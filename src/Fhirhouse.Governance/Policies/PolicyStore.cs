using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Fhirhouse.Delta;
using Fhirhouse.Delta.Schema;
using Fhirhouse.Governance.Audit;
using Fhirhouse.Governance.Identity;
using Fhirhouse.Lake;
using Fhirhouse.Lake.Tables;
using Fhirhouse.Query.Access;
using Fhirhouse.Storage;

namespace Fhirhouse.Governance.Policies;

/// <summary>
/// The policies in force, kept in the lake: <c>governance.policies</c> (<c>tables/policies</c>), one row per revision
/// set (encrypted and tamper-evident like every table, its history kept). Until a revision is set, the policies shipped
/// with the program are in force. Setting a revision, and running with policies from a folder instead
/// (<c>--policies</c>), are decisions of the policies in force (<see cref="SetDecision"/>, <see cref="OverrideDecision"/>),
/// and both, allowed or refused, are audited. Nothing is ever read from the current folder.
/// </summary>
public static class PolicyStore
{
    public const string TablePath = LakeLayout.Tables + "policies";

    /// <summary>The name a rule allows for a role to set the lake's policies (<c>fhirhouse policies set</c>).</summary>
    public const string SetDecision = "policies-set";

    /// <summary>The name a rule allows for a role to run with policies from a folder instead of the lake's (<c>--policies</c>).</summary>
    public const string OverrideDecision = "policies-override";

    /// <summary>The table's columns, in row order.</summary>
    public static StructType Schema { get; } = new(
    [
        new StructField("revision", PrimitiveType.Long, Nullable: false),
        new StructField("set_at", PrimitiveType.Timestamp, Nullable: false),
        new StructField("set_by", PrimitiveType.String, Nullable: false),
        new StructField("role", PrimitiveType.String, Nullable: false),
        new StructField("purpose", PrimitiveType.String, Nullable: false),
        new StructField("sha256", PrimitiveType.String, Nullable: false),
        new StructField("files", PrimitiveType.String, Nullable: false),
    ]);

    /// <summary>The table as declared to the lake.</summary>
    public static LakeTableDefinition Definition { get; } = new("governance.policies", TablePath, Schema);

    /// <summary>Every revision set, oldest first; empty when none was ever set.</summary>
    public static async Task<IReadOnlyList<StoredPolicies>> HistoryAsync(IObjectStore lake, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lake);
        if (await Definition.OpenIfExistsAsync(lake, cancellationToken: cancellationToken).ConfigureAwait(false) is not { } table)
        {
            return [];
        }

        var revisions = new List<StoredPolicies>();
        await foreach (var row in (await table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).ReadRowsAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var files = JsonSerializer.Deserialize<Dictionary<string, string>>((string)row[6]!) ?? [];
            revisions.Add(new StoredPolicies((long)row[0]!, (DateTimeOffset)row[1]!, (string)row[2]!, (string)row[3]!, (string)row[4]!, (string)row[5]!,
                files.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => (f.Key, f.Value)).ToList()));
        }

        return [.. revisions.OrderBy(r => r.Revision).ThenBy(r => r.SetAt)];
    }

    /// <summary>The revision in force; null when none was ever set (the shipped policies are then in force).</summary>
    public static async Task<StoredPolicies?> CurrentAsync(IObjectStore lake, CancellationToken cancellationToken = default) =>
        (await HistoryAsync(lake, cancellationToken).ConfigureAwait(false)).LastOrDefault();

    /// <summary>The policies in force: the lake's latest revision, else those in <paramref name="shippedFolder"/>.</summary>
    public static async Task<PolicySet> InForceAsync(IObjectStore lake, string shippedFolder, CancellationToken cancellationToken = default) =>
        await CurrentAsync(lake, cancellationToken).ConfigureAwait(false) is { } stored ? stored.Parse() : PolicySet.Load(shippedFolder);

    /// <summary>
    /// Stores the policy files of <paramref name="folder"/> as the next revision, after checking that they parse and
    /// that the policies in force let <paramref name="identity"/> set them; the change (or its refusal) is audited.
    /// Throws <see cref="AccessDeniedException"/> when refused, <see cref="PolicyException"/> when a file is not valid.
    /// </summary>
    public static async Task<StoredPolicies> SetAsync(IObjectStore lake, string folder, AccessIdentity identity, AuditLog audit, string shippedFolder, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lake);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(audit);
        var inForce = await InForceAsync(lake, shippedFolder, cancellationToken).ConfigureAwait(false);
        await DecideAsync(inForce, identity, SetDecision, audit, "policies set", cancellationToken).ConfigureAwait(false);
        var checkedSet = PolicySet.Load(folder);
        var files = Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal).Select(f => (File: Path.GetFileName(f), Json: File.ReadAllText(f))).ToList();
        var sha = Digest(files);
        var history = await HistoryAsync(lake, cancellationToken).ConfigureAwait(false);
        var revision = new StoredPolicies(history.Count == 0 ? 1 : history[^1].Revision + 1, time.GetUtcNow(), identity.User, identity.Role, identity.Purpose, sha, files);
        var table = await Definition.OpenOrCreateAsync(lake, new DeltaTableOptions { TimeProvider = time }, cancellationToken).ConfigureAwait(false);
        var json = JsonSerializer.Serialize(files.ToDictionary(f => f.File, f => f.Json, StringComparer.Ordinal));
        await table.AppendAsync([[revision.Revision, revision.SetAt, revision.SetBy, revision.Role, revision.Purpose, sha, json]], cancellationToken: cancellationToken).ConfigureAwait(false);
        await audit.AppendAsync(new AuditEntry(identity.User, identity.Role, identity.Purpose, EntryPoints.Policies,
            $"policies set revision {revision.Revision} sha256 {sha} ({checkedSet.Rules.Count} rules in {files.Count} files)", [Definition.Name], 1, AuditOutcomes.Ok, null), cancellationToken).ConfigureAwait(false);
        return revision;
    }

    /// <summary>
    /// The policies to enforce for <paramref name="identity"/>: those of <paramref name="overrideFolder"/> when given
    /// and the policies in force allow it (audited, with the folder's digest), else the policies in force.
    /// </summary>
    public static async Task<PolicySet> ResolveAsync(IObjectStore lake, string? overrideFolder, AccessIdentity identity, AuditLog audit, string shippedFolder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var inForce = await InForceAsync(lake, shippedFolder, cancellationToken).ConfigureAwait(false);
        if (overrideFolder is null)
        {
            return inForce;
        }

        await DecideAsync(inForce, identity, OverrideDecision, audit, "policies override", cancellationToken).ConfigureAwait(false);
        var chosen = PolicySet.Load(overrideFolder);
        var files = Directory.GetFiles(overrideFolder, "*.json").Order(StringComparer.Ordinal).Select(f => (Path.GetFileName(f), File.ReadAllText(f))).ToList();
        await audit.AppendAsync(new AuditEntry(identity.User, identity.Role, identity.Purpose, EntryPoints.Policies,
            $"policies override from {chosen.Source} sha256 {Digest(files)}", [], 0, AuditOutcomes.Ok, null), cancellationToken).ConfigureAwait(false);
        return chosen;
    }

    /// <summary>The SHA-256 of the files' names and texts, in name order (what a revision is known by).</summary>
    public static string Digest(IEnumerable<(string File, string Json)> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (file, json) in files.OrderBy(f => f.File, StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(file + "\n" + json.Length + "\n" + json + "\n"));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static async Task DecideAsync(PolicySet inForce, AccessIdentity identity, string decision, AuditLog audit, string operation, CancellationToken cancellationToken)
    {
        if (inForce.Decide(identity.Role, identity.Purpose, decision) is { Allowed: false } denied)
        {
            await audit.AppendAsync(new AuditEntry(identity.User, identity.Role, identity.Purpose, EntryPoints.Policies, operation, [], 0, AuditOutcomes.Denied, denied.Reason), cancellationToken).ConfigureAwait(false);
            throw new AccessDeniedException(denied.Reason);
        }
    }
}
