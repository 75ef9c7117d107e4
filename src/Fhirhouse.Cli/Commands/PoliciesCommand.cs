using System.CommandLine;
using System.Text.Json;
using Fhirhouse.Governance.Audit;
using Fhirhouse.Governance.Identity;
using Fhirhouse.Governance.Policies;
using Fhirhouse.Query.Access;
using Fhirhouse.Storage.Lake;

namespace Fhirhouse.Cli.Commands;

/// <summary>
/// <c>fhirhouse policies set FOLDER | show [--revision N] | history</c>: the policies in force, kept in the lake
/// (<c>governance.policies</c>). Setting them is a decision of the policies in force (<c>policies-set</c>); reading them is
/// a read of their table. Every use, allowed or refused, is audited.
/// </summary>
internal static class PoliciesCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("policies", "The access policies in force, kept in the lake: set a new revision, show one, list their history.");
        command.Subcommands.Add(Set(context));
        command.Subcommands.Add(Show(context));
        command.Subcommands.Add(History(context));
        return command;
    }

    private static Command Set(CliContext context)
    {
        var lake = new LakeOptionSet();
        var governance = new GovernanceOptionSet();
        var folder = new Argument<string>("folder") { Description = "The folder of policy files (*.json) to put in force." };
        var command = new Command("set", "Put the policy files of a folder in force as the lake's next revision (checked first; allowed by the policies in force as 'policies-set'; audited).");
        command.Arguments.Add(folder);
        lake.AddTo(command);
        governance.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var identity = governance.Identity(parse);
            var path = parse.GetValue(folder)!;
            if (!Directory.Exists(path))
            {
                throw Errors.FhirhouseException.PathNotFound(Path.GetFullPath(path), "policy folder");
            }

            using var store = await lake.OpenAsync(parse, context, cancellationToken).ConfigureAwait(false);
            var revision = await PolicyStore.SetAsync(store.Objects, path, identity, new AuditLog(store.Objects, context.Time), PolicySet.Shipped, context.Time, cancellationToken).ConfigureAwait(false);
            context.Out.WriteLine($"policies: revision {revision.Revision} in force ({revision.Files.Count} files, sha256 {revision.Sha256}), set by {revision.SetBy} as {revision.Role}/{revision.Purpose}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Show(CliContext context)
    {
        var lake = new LakeOptionSet();
        var governance = new GovernanceOptionSet();
        var revisionOption = new Option<long?>("--revision") { Description = "The revision to show (default: the one in force)." };
        var command = new Command("show", "Print the policy files in force (or of one revision), each under its name.");
        lake.AddTo(command);
        governance.AddTo(command);
        command.Options.Add(revisionOption);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var history = await ReadAsync(context, parse, lake, governance, "policies show", cancellationToken).ConfigureAwait(false);
            var wanted = parse.GetValue(revisionOption);
            if (wanted is null && history.Count == 0)
            {
                context.Out.WriteLine($"# no revision set in the lake: the policies shipped with the program are in force ({PolicySet.Shipped})");
                foreach (var file in Directory.GetFiles(PolicySet.Shipped, "*.json").Order(StringComparer.Ordinal))
                {
                    context.Out.WriteLine($"# {Path.GetFileName(file)}");
                    context.Out.WriteLine(File.ReadAllText(file).TrimEnd());
                }

                return ExitCodes.Ok;
            }

            var revision = wanted is { } number
                ? history.FirstOrDefault(r => r.Revision == number) ?? throw new ArgumentException($"--revision {number}: the lake has revisions 1 to {history.Count}.")
                : history[^1];
            context.Out.WriteLine($"# revision {revision.Revision}{(revision == history[^1] ? " (in force)" : "")}, set {revision.SetAt:u} by {revision.SetBy} as {revision.Role}/{revision.Purpose}, sha256 {revision.Sha256}");
            foreach (var (file, json) in revision.Files)
            {
                context.Out.WriteLine($"# {file}");
                context.Out.WriteLine(json.TrimEnd());
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command History(CliContext context)
    {
        var lake = new LakeOptionSet();
        var governance = new GovernanceOptionSet();
        var json = new Option<bool>("--json") { Description = "One JSON array of the revisions." };
        var command = new Command("history", "List every revision of the lake's policies, oldest first: when, by whom, its digest.");
        lake.AddTo(command);
        governance.AddTo(command);
        command.Options.Add(json);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var history = await ReadAsync(context, parse, lake, governance, "policies history", cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(JsonSerializer.Serialize(history.Select(r => new { revision = r.Revision, setAt = r.SetAt, setBy = r.SetBy, role = r.Role, purpose = r.Purpose, sha256 = r.Sha256, files = r.Files.Select(f => f.File) })));
                return ExitCodes.Ok;
            }

            if (history.Count == 0)
            {
                context.Out.WriteLine("policies: no revision set in the lake; the shipped policies are in force");
            }

            foreach (var r in history)
            {
                context.Out.WriteLine($"{r.Revision}\t{r.SetAt:u}\t{r.SetBy}\t{r.Role}/{r.Purpose}\t{r.Sha256}\t{string.Join(",", r.Files.Select(f => f.File))}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The stored revisions, once the policies in force let the identity read their table; audited either way.</summary>
    private static async Task<IReadOnlyList<StoredPolicies>> ReadAsync(CliContext context, ParseResult parse, LakeOptionSet lake, GovernanceOptionSet governance, string operation, CancellationToken cancellationToken)
    {
        using var session = await governance.OpenSessionAsync(parse, lake, context, cancellationToken).ConfigureAwait(false);
        var (identity, audit) = (session.Identity, session.Audit);
        var decision = session.Policies.Decide(identity.Role, identity.Purpose, PolicyStore.Definition.Name, PolicyStore.TablePath);
        if (!decision.Allowed)
        {
            await audit.AppendAsync(Entry(identity, operation, 0, AuditOutcomes.Denied, decision.Reason), cancellationToken).ConfigureAwait(false);
            throw new AccessDeniedException(decision.Reason);
        }

        var history = await PolicyStore.HistoryAsync(session.Store.Objects, cancellationToken).ConfigureAwait(false);
        await audit.AppendAsync(Entry(identity, operation, history.Count, AuditOutcomes.Ok, null), cancellationToken).ConfigureAwait(false);
        return history;
    }

    private static AuditEntry Entry(AccessIdentity identity, string operation, long rows, string outcome, string? reason) =>
        new(identity.User, identity.Role, identity.Purpose, EntryPoints.Policies, operation, [PolicyStore.Definition.Name], rows, outcome, reason);
}
