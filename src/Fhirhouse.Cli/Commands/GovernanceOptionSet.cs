using System.CommandLine;
using Fhirhouse.Governance.Enforcement;
using Fhirhouse.Governance.Identity;
using Fhirhouse.Governance.Policies;
using Fhirhouse.Query;
using Fhirhouse.Storage.Lake;

namespace Fhirhouse.Cli.Commands;

/// <summary>
/// <c>--role</c>, <c>--purpose</c>, <c>--user</c> and <c>--policies</c>, shared by every command that reads the lake's
/// data: the identity defaults from the operator's configuration (<c>$FHIRHOUSE_OPERATOR</c>, else
/// <c>~/.fhirhouse/operator.json</c>), the policies from <c>$FHIRHOUSE_POLICIES</c>, else <c>./policies</c>, else the
/// shipped ones.
/// </summary>
internal sealed class GovernanceOptionSet
{
    public Option<string?> Role { get; } = new("--role") { Description = "The role to read as (clinician, data-scientist, analyst, admin...; default: the operator configuration)." };

    public Option<string?> Purpose { get; } = new("--purpose") { Description = "The purpose of use (treatment, research, operations...; default: the operator configuration)." };

    public Option<string?> User { get; } = new("--user") { Description = "Who reads, for the audit log (default: the operator configuration, else the login name)." };

    public Option<string?> Policies { get; } = new("--policies") { Description = "The folder of policy files (default: $FHIRHOUSE_POLICIES, else ./policies, else the shipped policies)." };

    public void AddTo(Command command)
    {
        command.Options.Add(Role);
        command.Options.Add(Purpose);
        command.Options.Add(User);
        command.Options.Add(Policies);
    }

    /// <summary>The identity; <see cref="ArgumentException"/> (exit 2) saying how to set it when none is configured.</summary>
    public AccessIdentity Identity(ParseResult parse) =>
        OperatorIdentity.Resolve(parse.GetValue(User), parse.GetValue(Role), parse.GetValue(Purpose), OperatorIdentity.DefaultFile());

    public PolicySet LoadPolicies(ParseResult parse) => PolicySet.Load(PolicySet.Locate(parse.GetValue(Policies)));

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
        return governance.QueryOptions(identity, entryPoint);
    }
}
