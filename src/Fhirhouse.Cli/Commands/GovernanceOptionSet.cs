using System.CommandLine;
using System.Text.Json;
using Fhirhouse.Errors;
using Fhirhouse.Governance.Enforcement;
using Fhirhouse.Governance.Identity;
using Fhirhouse.Governance.Policies;
using Fhirhouse.Query;
using Fhirhouse.Storage.Lake;

namespace Fhirhouse.Cli.Commands;

/// <summary>
/// <c>--role</c>, <c>--purpose</c>, <c>--user</c> and <c>--policies</c>, shared by every command that reads the lake's
/// data: the identity defaults from the operator's configuration (<c>$FHIRHOUSE_OPERATOR</c>, else
/// <c>~/.fhirhouse/operator.json</c>: <c>{ "user": "...", "role": "...", "purpose": "..." }</c>), and the policies: those
/// in force in the lake (<c>fhirhouse policies set</c>; until then the ones shipped beside the program), or those of the
/// folder <c>--policies</c> (else <c>$FHIRHOUSE_POLICIES</c>) names, for the roles the policies in force allow it, audited.
/// Nothing is read from the current folder.
/// </summary>
internal sealed class GovernanceOptionSet
{
    public Option<string?> Role { get; } = new("--role") { Description = "The role to read as (clinician, data-scientist, analyst, admin...; default: the operator configuration)." };

    public Option<string?> Purpose { get; } = new("--purpose") { Description = "The purpose of use (treatment, research, operations...; default: the operator configuration)." };

    public Option<string?> User { get; } = new("--user") { Description = "Who reads, for the audit log (default: the operator configuration, else the login name)." };

    public Option<string?> Policies { get; } = new("--policies") { Description = "Run with the policy files of this folder instead of the lake's (default: $FHIRHOUSE_POLICIES, else the policies in force in the lake); only for the roles the lake's policies allow 'policies-override', and audited." };

    public void AddTo(Command command)
    {
        command.Options.Add(Role);
        command.Options.Add(Purpose);
        command.Options.Add(User);
        command.Options.Add(Policies);
    }

    /// <summary>The identity; a usage error (exit 2) saying how to set it when none is configured or the file is malformed.</summary>
    public AccessIdentity Identity(ParseResult parse) =>
        ResolveIdentity(parse.GetValue(User), parse.GetValue(Role), parse.GetValue(Purpose), OperatorFile());

    /// <summary>
    /// The policies to enforce for <paramref name="identity"/>: the folder of <c>--policies</c> (else
    /// <c>$FHIRHOUSE_POLICIES</c>) when given and the lake's policies allow it (refused and audited otherwise), else the
    /// policies in force in the lake.
    /// </summary>
    public Task<PolicySet> LoadPoliciesAsync(ParseResult parse, LakeStore lake, AccessIdentity identity, CliContext context, CancellationToken cancellationToken) =>
        PolicyStore.ResolveAsync(lake.Objects, OverrideFolder(parse.GetValue(Policies)), identity, new Governance.Audit.AuditLog(lake.Objects, context.Time), PolicySet.Shipped, cancellationToken);

    /// <summary>
    /// What a governed command starts from: the identity, the lake opened, the policies to enforce for that identity
    /// (<see cref="LoadPoliciesAsync"/>) and the lake's audit log. Dispose it to close the lake.
    /// </summary>
    public async Task<GovernedSession> OpenSessionAsync(ParseResult parse, LakeOptionSet lake, CliContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lake);
        var identity = Identity(parse);
        var store = await lake.OpenAsync(parse, context, cancellationToken).ConfigureAwait(false);
        try
        {
            var policies = await LoadPoliciesAsync(parse, store, identity, context, cancellationToken).ConfigureAwait(false);
            return new GovernedSession(identity, store, policies, new Governance.Audit.AuditLog(store.Objects, context.Time));
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>The folder that overrides the lake's policies: <paramref name="option"/> (<c>--policies</c>), else <c>$FHIRHOUSE_POLICIES</c>, else none.</summary>
    public static string? OverrideFolder(string? option) =>
        option is { Length: > 0 } ? option
        : Environment.GetEnvironmentVariable("FHIRHOUSE_POLICIES") is { Length: > 0 } variable ? variable
        : null;

    /// <summary>The operator's configuration file: <c>$FHIRHOUSE_OPERATOR</c>, else <c>~/.fhirhouse/operator.json</c>.</summary>
    public static string OperatorFile() =>
        Environment.GetEnvironmentVariable("FHIRHOUSE_OPERATOR") is { Length: > 0 } path
            ? path
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".fhirhouse", "operator.json");

    /// <summary>The identity from the options, completed from <paramref name="configurationFile"/> (when it exists), else the login name for the user.</summary>
    public static AccessIdentity ResolveIdentity(string? user, string? role, string? purpose, string configurationFile)
    {
        if ((role is null || purpose is null || user is null) && File.Exists(configurationFile))
        {
            try
            {
                using var document = JsonDocument.Parse(File.ReadAllText(configurationFile));
                user ??= Text(document.RootElement, "user");
                role ??= Text(document.RootElement, "role");
                purpose ??= Text(document.RootElement, "purpose");
            }
            catch (JsonException e)
            {
                throw new FhirhouseException(ErrorCodes.InvalidValue, ErrorKind.Usage,
                    $"{configurationFile}: not valid JSON (line {e.LineNumber + 1}); expected {{ \"user\": \"...\", \"role\": \"...\", \"purpose\": \"...\" }}.", e);
            }
        }

        if (role is not { Length: > 0 } || purpose is not { Length: > 0 })
        {
            throw new FhirhouseException(ErrorCodes.InvalidValue, ErrorKind.Usage,
                $"No identity to read the lake with: give --role and --purpose (e.g. --role analyst --purpose operations), or write them in {configurationFile} " +
                "as { \"user\": \"you\", \"role\": \"analyst\", \"purpose\": \"operations\" } ($FHIRHOUSE_OPERATOR names another file). " +
                "Roles and purposes are those of the policies (docs/governance.md).");
        }

        return new AccessIdentity(user is { Length: > 0 } ? user : Environment.UserName, role, purpose);
    }

    private static string? Text(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The lake's governance: the policies, the audit log, the mask key (wrapped by the lake's key provider, else the keyring).</summary>
    public static Task<LakeGovernance> OpenAsync(LakeStore lake, string keyring, PolicySet policies, CliContext context, CancellationToken cancellationToken) =>
        LakeGovernance.OpenAsync(lake.Objects, lake.Encrypted?.KeyProvider ?? LakeOptionSet.OpenKeyring(keyring, context), policies, context.Time, cancellationToken);

    /// <summary>An engine reading <paramref name="lake"/> as <paramref name="identity"/>, auditing under <paramref name="entryPoint"/>.</summary>
    public static async Task<QueryEngine> EngineAsync(LakeStore lake, string keyring, PolicySet policies, AccessIdentity identity, string entryPoint, CliContext context, CancellationToken cancellationToken) =>
        new(lake.Objects, await QueryOptionsAsync(lake, keyring, policies, identity, entryPoint, context, cancellationToken).ConfigureAwait(false));

    /// <summary>Engine options that read the lake as <paramref name="identity"/> under its policies, audited under <paramref name="entryPoint"/>.</summary>
    public static async Task<QueryOptions> QueryOptionsAsync(LakeStore lake, string keyring, PolicySet policies, AccessIdentity identity, string entryPoint, CliContext context, CancellationToken cancellationToken)
    {
        var governance = await OpenAsync(lake, keyring, policies, context, cancellationToken).ConfigureAwait(false);
        return governance.QueryOptions(identity, entryPoint, new QueryOptions { Catalog = LakeTables.Catalog(lake.Objects) });
    }
}

/// <summary>A governed command's identity, lake, policies in force for it and audit log (<see cref="GovernanceOptionSet.OpenSessionAsync"/>).</summary>
internal sealed record GovernedSession(AccessIdentity Identity, LakeStore Store, PolicySet Policies, Governance.Audit.AuditLog Audit) : IDisposable
{
    public void Dispose() => Store.Dispose();
}
