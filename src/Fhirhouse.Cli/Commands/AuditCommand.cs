using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Fhirhouse.Governance.Audit;
using Fhirhouse.Governance.Identity;
using Fhirhouse.Governance.Policies;
using Fhirhouse.Query.Access;

namespace Fhirhouse.Cli.Commands;

/// <summary>
/// <c>fhirhouse audit list [--since TIME] [--json]</c> and <c>fhirhouse audit export --out FILE</c>: the audit log
/// (<c>tables/audit_log</c>), readable by the roles and purposes the policies allow on <c>audit_log</c> (admin/operations);
/// the export writes FHIR R4 AuditEvent resources as NDJSON. Each reading of the log is itself audited.
/// </summary>
internal static class AuditCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("audit", "The audit log of every read: list it, or export it as FHIR AuditEvent NDJSON.");
        command.Subcommands.Add(List(context));
        command.Subcommands.Add(Export(context));
        return command;
    }

    private static Command List(CliContext context)
    {
        var lake = new LakeOptionSet();
        var governance = new GovernanceOptionSet();
        var since = new Option<string?>("--since") { Description = "Only entries at or after this time (2026-11-28T10:00:00Z, or a date)." };
        var json = new Option<bool>("--json") { Description = "One JSON array of the entries." };
        var command = new Command("list", "List the audit log, oldest first.");
        lake.AddTo(command);
        governance.AddTo(command);
        command.Options.Add(since);
        command.Options.Add(json);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var from = parse.GetValue(since) is { } text ? ParseTime(text) : (DateTimeOffset?)null;
            var records = await ReadAsync(context, parse, lake, governance, "audit list", from, cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                var rows = records.Select(r => new
                {
                    eventId = r.EventId,
                    time = r.Time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
                    user = r.Entry.User,
                    role = r.Entry.Role,
                    purpose = r.Entry.Purpose,
                    entryPoint = r.Entry.EntryPoint,
                    query = r.Entry.Query,
                    tables = r.Entry.Tables,
                    rows = r.Entry.Rows,
                    outcome = r.Entry.Outcome,
                    reason = r.Entry.Reason,
                });
                context.Out.WriteLine(JsonSerializer.Serialize(rows, new JsonSerializerOptions { WriteIndented = true }));
                return ExitCodes.Ok;
            }

            foreach (var r in records)
            {
                var e = r.Entry;
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{r.Time.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}  {e.Outcome,-6}  {e.User} ({e.Role}/{e.Purpose}) via {e.EntryPoint}  [{string.Join(", ", e.Tables)}] {e.Rows} rows  {e.Query?.ReplaceLineEndings(" ")}{(e.Reason is null ? "" : "  -- " + e.Reason)}"));
            }

            context.Error.WriteLine($"audit: {records.Count} entries");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Export(CliContext context)
    {
        var lake = new LakeOptionSet();
        var governance = new GovernanceOptionSet();
        var since = new Option<string?>("--since") { Description = "Only entries at or after this time." };
        var output = new Option<string>("--out", "-o") { Description = "The NDJSON file to write (FHIR R4 AuditEvent, one per line).", Required = true };
        var command = new Command("export", "Export the audit log as FHIR R4 AuditEvent resources (NDJSON).");
        lake.AddTo(command);
        governance.AddTo(command);
        command.Options.Add(since);
        command.Options.Add(output);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var from = parse.GetValue(since) is { } text ? ParseTime(text) : (DateTimeOffset?)null;
            var records = await ReadAsync(context, parse, lake, governance, "audit export", from, cancellationToken).ConfigureAwait(false);
            var target = Path.GetFullPath(parse.GetValue(output)!);
            await using var file = File.Create(target);
            var written = await AuditEventWriter.WriteNdjsonAsync(records, file, cancellationToken).ConfigureAwait(false);
            context.Error.WriteLine($"audit: {written} AuditEvent resources written to {target}");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>The entries, after the policies allowed the identity to read <c>audit_log</c>; the reading (or its refusal) is audited.</summary>
    private static async Task<IReadOnlyList<AuditRecord>> ReadAsync(CliContext context, ParseResult parse, LakeOptionSet lake, GovernanceOptionSet options, string operation, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        var identity = options.Identity(parse);
        var opened = await lake.OpenAsync(parse, context, cancellationToken).ConfigureAwait(false);
        var policies = await options.LoadPoliciesAsync(parse, opened, identity, context, cancellationToken).ConfigureAwait(false);
        var governance = await GovernanceOptionSet.OpenAsync(opened, parse.GetValue(lake.Keyring)!, policies, context, cancellationToken).ConfigureAwait(false);
        var decision = policies.Decide(identity.Role, identity.Purpose, PolicySet.AuditTable, AuditLog.TablePath);
        if (!decision.Allowed)
        {
            await governance.Audit.AppendAsync(Entry(identity, operation, 0, AuditOutcomes.Denied, decision.Reason), cancellationToken).ConfigureAwait(false);
            throw new AccessDeniedException(decision.Reason);
        }

        var records = await governance.Audit.ListAsync(since, cancellationToken).ConfigureAwait(false);
        await governance.Audit.AppendAsync(Entry(identity, operation, records.Count, AuditOutcomes.Ok, null), cancellationToken).ConfigureAwait(false);
        return records;
    }

    private static AuditEntry Entry(AccessIdentity identity, string operation, long rows, string outcome, string? reason) =>
        new(identity.User, identity.Role, identity.Purpose, EntryPoints.CliAudit, operation, [PolicySet.AuditTable], rows, outcome, reason);

    private static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : throw new ArgumentException($"--since '{text}' is not a time (write 2026-11-28T10:00:00Z or 2026-11-28).");
}
