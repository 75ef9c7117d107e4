using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using Fhirhouse.Errors;
using Fhirhouse.Governance.Identity;
using Fhirhouse.Server.Auth;

namespace Fhirhouse.Cli.Commands;

/// <summary>
/// <c>fhirhouse clients add|remove|list</c>: the Bulk Data server's clients (SMART Backend Services), kept in the lake's
/// identity store (<c>governance.identities</c>), each with its public key, the scopes it may ask for and the role and
/// purpose it reads as. Changes are the policies' decision <c>identities-manage</c>; every use is audited. A running
/// <c>serve</c> that has clients sees changes within seconds.
/// </summary>
internal static class ClientsCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("clients", "The Bulk Data server's registered clients (SMART Backend Services), kept in the lake: add, remove, list.");
        command.Subcommands.Add(Add(context));
        command.Subcommands.Add(Remove(context));
        command.Subcommands.Add(List(context));
        return command;
    }

    private static Command Add(CliContext context)
    {
        var lake = new LakeOptionSet();
        var governance = new GovernanceOptionSet();
        var id = new Argument<string>("client-id") { Description = "The client id (the iss and sub of its assertions)." };
        var publicKey = new Option<string>("--public-key") { Description = "The client's public key (PEM: RSA, or EC P-384) that its assertions are signed with.", Required = true };
        var clientRole = new Option<string>("--client-role") { Description = "The policy role the client reads as (e.g. data-scientist).", Required = true };
        var clientPurpose = new Option<string>("--client-purpose") { Description = "The purpose of use the client reads for (e.g. research).", Required = true };
        var scopes = new Option<string[]>("--scope") { Description = "A scope the client may ask for (repeatable; default system/*.read).", AllowMultipleArgumentsPerToken = true };
        var command = new Command("add", "Register (or replace) a client of the Bulk Data server.");
        command.Arguments.Add(id);
        command.Options.Add(publicKey);
        command.Options.Add(clientRole);
        command.Options.Add(clientPurpose);
        command.Options.Add(scopes);
        lake.AddTo(command);
        governance.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var clientId = parse.GetValue(id)!;
            if (clientId.Length is 0 or > 128 || clientId.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
            {
                throw Usage($"client id '{clientId}': 1 to 128 characters, no spaces or control characters.");
            }

            var keyFile = parse.GetValue(publicKey)!;
            if (!File.Exists(keyFile))
            {
                throw FhirhouseException.PathNotFound(Path.GetFullPath(keyFile), "public key (--public-key)");
            }

            var pem = File.ReadAllText(keyFile);
            if (pem.Contains("PRIVATE KEY", StringComparison.Ordinal))
            {
                throw Usage($"{keyFile} holds a private key: give the client's public key only (it keeps its private key).");
            }

            try
            {
                using var parsed = RegisteredClient.FromPem(clientId, pem).PublicKey;
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException)
            {
                throw Usage($"{keyFile}: not a PEM public key (RSA, or EC P-384).", e);
            }

            using var session = await governance.OpenSessionAsync(parse, lake, context, cancellationToken).ConfigureAwait(false);
            var wanted = parse.GetValue(scopes) is { Length: > 0 } given ? given : ["system/*.read"];
            var client = new RegisteredIdentity(RegisteredIdentity.Client, clientId, parse.GetValue(clientRole)!, parse.GetValue(clientPurpose)!, wanted, pem, context.Time.GetUtcNow(), session.Identity.User);
            await IdentityStore.AddAsync(session.Store.Objects, client, session.Identity, session.Policies, session.Audit, context.Time, cancellationToken).ConfigureAwait(false);
            context.Out.WriteLine($"clients: '{clientId}' registered, reading as {client.Role}/{client.Purpose}, scopes {string.Join(' ', wanted)}");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Remove(CliContext context)
    {
        var lake = new LakeOptionSet();
        var governance = new GovernanceOptionSet();
        var id = new Argument<string>("client-id") { Description = "The client to remove." };
        var command = new Command("remove", "Remove a client: its next token request and the tokens it holds are refused.");
        command.Arguments.Add(id);
        lake.AddTo(command);
        governance.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var session = await governance.OpenSessionAsync(parse, lake, context, cancellationToken).ConfigureAwait(false);
            var clientId = parse.GetValue(id)!;
            if (!await IdentityStore.RemoveAsync(session.Store.Objects, RegisteredIdentity.Client, clientId, session.Identity, session.Policies, session.Audit, context.Time, cancellationToken).ConfigureAwait(false))
            {
                throw Usage($"client '{clientId}' is not registered ('fhirhouse clients list' shows those that are).");
            }

            context.Out.WriteLine($"clients: '{clientId}' removed");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command List(CliContext context)
    {
        var lake = new LakeOptionSet();
        var governance = new GovernanceOptionSet();
        var json = new Option<bool>("--json") { Description = "One JSON array of the clients." };
        var command = new Command("list", "List the registered clients: id, role and purpose, scopes, when and by whom added.");
        command.Options.Add(json);
        lake.AddTo(command);
        governance.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var session = await governance.OpenSessionAsync(parse, lake, context, cancellationToken).ConfigureAwait(false);
            await IdentityStore.AuthorizeListAsync(session.Policies, session.Identity, session.Audit, cancellationToken).ConfigureAwait(false);
            var (clients, _) = await IdentityStore.ListAsync(session.Store.Objects, RegisteredIdentity.Client, cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(JsonSerializer.Serialize(clients.Select(c => new { id = c.Name, role = c.Role, purpose = c.Purpose, scopes = c.Scopes, addedAt = c.AddedAt, addedBy = c.AddedBy })));
                return ExitCodes.Ok;
            }

            foreach (var c in clients)
            {
                context.Out.WriteLine($"{c.Name}\t{c.Role}/{c.Purpose}\t{string.Join(' ', c.Scopes)}\t{c.AddedAt:u}\t{c.AddedBy}");
            }

            context.Error.WriteLine($"clients: {clients.Count} registered");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static FhirhouseException Usage(string message, Exception? inner = null) => new(ErrorCodes.InvalidValue, ErrorKind.Usage, message, inner);
}
