using System.CommandLine;
using System.Text;
using Fhirhouse.Governance.Audit;
using Fhirhouse.Governance.Erasure;
using Fhirhouse.Ingest.Sources;
using Fhirhouse.Server.Export;
using Fhirhouse.Storage.Lake;

namespace Fhirhouse.Cli.Commands;

/// <summary>
/// <c>fhirhouse forget --patient ID [--dry-run] [--json]</c>: the right to erasure across the whole lake (raw zone, every
/// table, job state, time travel), with a signed report stored under <c>jobs/erasure/reports/</c> and printed;
/// <c>fhirhouse forget verify REPORT</c> checks a stored report's signature. Erasing needs a role and purpose the
/// policies allow on <c>forget</c> (the shipped ones: admin/operations); every step is written to the audit log under the
/// subject's keyed hash. See docs/erasure.md.
/// </summary>
internal static class ForgetCommand
{
    public static Command Create(CliContext context)
    {
        var lake = new LakeOptionSet();
        var governance = new GovernanceOptionSet();
        var patient = new Option<string?>("--patient") { Description = "The id of the patient to erase (Patient/ID and every resource of their compartment)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "List what would be removed; change nothing (the look is audited)." };
        var json = new Option<bool>("--json") { Description = "Print the signed report as JSON." };
        var reapply = new Option<bool>("--reapply") { Description = "Erase again every erased patient whose resources are back in the lake (after a restore from a backup; 'lake verify' reports them)." };
        var command = new Command("forget", "Erase a patient from every zone of the lake and print a signed erasure report.");
        lake.AddTo(command);
        command.Options.Add(patient);
        command.Options.Add(dryRun);
        command.Options.Add(json);
        command.Options.Add(reapply);
        governance.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var again = parse.GetValue(reapply);
            var id = parse.GetValue(patient);
            if (again == (id is not null))
            {
                throw new ArgumentException("forget needs --patient ID or --reapply (one of them), or 'forget verify REPORT' to check a report.");
            }

            var identity = governance.Identity(parse);
            var store = await lake.OpenAsync(parse, context, cancellationToken).ConfigureAwait(false);
            var policies = await governance.LoadPoliciesAsync(parse, store, identity, context, cancellationToken).ConfigureAwait(false);
            var governed = await GovernanceOptionSet.OpenAsync(store, parse.GetValue(lake.Keyring)!, policies, context, cancellationToken).ConfigureAwait(false);
            if (policies.Decide(identity.Role, identity.Purpose, ForgetPolicyName) is { Allowed: false } denied)
            {
                await governed.Audit.AppendAsync(
                    new AuditEntry(identity.User, identity.Role, identity.Purpose, EntryPoints.Forget, "forget", [], 0, AuditOutcomes.Denied, denied.Reason),
                    cancellationToken).ConfigureAwait(false);
                throw new Query.Access.AccessDeniedException(denied.Reason);
            }

            var erasure = await PatientErasure.OpenAsync(store.Objects, KeysOf(store), cancellationToken).ConfigureAwait(false);
            var subjectOf = erasure.SubjectOf;
            var options = new ErasureOptions
            {
                Operator = identity.User,
                Audit = new AuditedErasure(governed.Audit, identity),
                DryRun = parse.GetValue(dryRun),
                Time = context.Time,
                Participants = [new ExportErasure(store.Objects), new SourceStateErasure(store.Objects), new ShellHistory.Erasure(store.Objects), new Ml.Registry.ModelErasure(store.Objects, context.Time, subjectOf)],
            };
            IReadOnlyList<string> ids = [id!];
            if (again)
            {
                var reappeared = await ErasureLedger.FindReappearedAsync(store.Objects, erasure, cancellationToken).ConfigureAwait(false);
                context.Error.WriteLine(reappeared.Count == 0
                    ? "forget --reapply: no erased patient is back in the lake"
                    : $"forget --reapply: {reappeared.Count} erased patient(s) back in the lake: {string.Join(", ", reappeared.Select(r => r.Subject[..16] + "..."))}");
                ids = [.. reappeared.Select(r => r.PatientId)];
            }

            foreach (var subjectId in ids)
            {
                var report = await context.WithProgressAsync("forget", async update =>
                {
                    var progress = new SynchronousProgress<ErasureProgress>(p => update(p.Total == 0 ? 1 : (double)p.Done / p.Total, $"{p.Zone}: {p.Item}"));
                    return await erasure.EraseAsync(subjectId, options, progress, cancellationToken).ConfigureAwait(false);
                }).ConfigureAwait(false);
                if (parse.GetValue(json))
                {
                    context.Out.WriteLine(Encoding.UTF8.GetString(ErasureReportSigner.Serialize(report)));
                }
                else
                {
                    WriteSummary(context, report);
                }

                context.Error.WriteLine($"forget: report signed ({report.Signature?[..16]}...){(report.DryRun ? ", not stored (dry run)" : " and stored under " + PatientErasure.ReportsPrefix + report.Subject + "/")}");
            }

            return ExitCodes.Ok;
        });

        var reportKey = new Argument<string>("report") { Description = "The report's object key in the lake (jobs/erasure/reports/SUBJECT/TIME.json)." };
        var verify = new Command("verify", "Check that a stored erasure report carries this lake's signature of exactly its content. Exit 1 when it does not.");
        verify.Arguments.Add(reportKey);
        lake.AddTo(verify);
        verify.SetAction(async (parse, cancellationToken) =>
        {
            var store = await lake.OpenAsync(parse, context, cancellationToken).ConfigureAwait(false);
            var erasure = await PatientErasure.OpenAsync(store.Objects, KeysOf(store), cancellationToken).ConfigureAwait(false);
            try
            {
                var report = await erasure.ReadReportAsync(parse.GetValue(reportKey)!, cancellationToken).ConfigureAwait(false);
                context.Out.WriteLine($"verified: subject {report.Subject}, erased by {report.Operator} at {report.CompletedAt:O}");
                return ExitCodes.Ok;
            }
            catch (InvalidDataException e)
            {
                context.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.Failure;
            }
        });
        command.Subcommands.Add(verify);
        return command;
    }

    /// <summary>The policy name an erasure is decided on (a rule allowing "*" allows it).</summary>
    public const string ForgetPolicyName = "forget";

    private static Storage.Keys.IKeyProvider KeysOf(LakeStore store) =>
        store.Encrypted?.KeyProvider ?? throw new InvalidOperationException($"Lake {store.Location}: erasure signs its reports with a key from the lake's key provider; an sse-kms lake has none.");

    private static void WriteSummary(CliContext context, ErasureReport report)
    {
        var verb = report.DryRun ? "would remove" : "removed";
        context.Out.WriteLine($"subject {report.Subject} ({(report.DryRun ? "dry run" : "erased")} by {report.Operator})");
        if (report.NothingFound)
        {
            context.Out.WriteLine("nothing of this patient was found in the lake.");
        }

        foreach (var payload in report.Payloads)
        {
            context.Out.WriteLine(payload.NewKey is null
                ? $"raw: {payload.Key}: {verb} (all {payload.Removed} resources were theirs)"
                : $"raw: {payload.Key} -> {payload.NewKey}: {verb} {payload.Removed} resources");
        }

        foreach (var table in report.Tables)
        {
            var travel = report.DryRun ? "" : $"; version {table.VersionAfter}, {table.FilesVacuumed.Count} files vacuumed, {table.LogFilesRemoved} log files removed, readable from version {table.EarliestVersion}";
            context.Out.WriteLine($"table: {table.Path}: {verb} {table.RowsDeleted} rows{travel}");
        }

        foreach (var file in report.JobFiles)
        {
            context.Out.WriteLine(file.Action == "marked" ? $"jobs: {file.Key}: marked (learned from {file.Removed} of the patient's rows; retrain without them)" : $"jobs: {file.Key}: {file.Action} ({file.Removed} removed)");
        }

        foreach (var path in report.NeedRebuild)
        {
            context.Out.WriteLine(string.Equals(path, Nlp.Annotations.NlpAnnotationsTable.Definition.Path, StringComparison.Ordinal)
                ? $"warning: {path} lagged behind bronze and cannot follow its change feed any more: the next 'fhirhouse nlp annotate' reads all of bronze again."
                : $"warning: {path} lagged behind bronze and cannot refresh from the change feed any more: rebuild it (fhirhouse views build).");
        }
    }
}
