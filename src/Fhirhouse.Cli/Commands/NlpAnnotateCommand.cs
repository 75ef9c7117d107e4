using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Fhirhouse.Governance.Audit;
using Fhirhouse.Governance.Identity;
using Fhirhouse.Governance.Policies;
using Fhirhouse.Lake.Landing;
using Fhirhouse.Nlp.Annotations;

namespace Fhirhouse.Cli.Commands;

/// <summary>
/// <c>fhirhouse nlp annotate</c>: the lake's free text annotated into <c>gold.nlp_annotations</c> and FHIR resources in
/// bronze (source <c>nlp</c>), incrementally from bronze's change feed (see <see cref="NlpAnnotationJob"/>).
/// </summary>
internal static class NlpAnnotateCommand
{
    public static Command Create(CliContext context)
    {
        var lake = new LakeOptionSet();
        var governance = new GovernanceOptionSet();
        var json = new Option<bool>("--json") { Description = "Print the result as JSON." };
        var batch = new Option<int>("--batch") { Description = "Documents per batch (each batch's FHIR is one payload landed in the raw zone).", DefaultValueFactory = _ => new NlpAnnotateOptions().BatchDocuments };
        var command = new Command("annotate", "Annotate the lake's notes, reports, prescriptions and messages: FHIR Conditions, FamilyMemberHistory, Observations and MedicationStatements landed in bronze, and one row per mention in gold.nlp_annotations. Incremental; re-annotates everything when the lexicon, rules or engine change.");
        lake.AddTo(command);
        governance.AddTo(command);
        command.Options.Add(json);
        command.Options.Add(batch);
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var session = await governance.OpenSessionAsync(parse, lake, context, cancellationToken).ConfigureAwait(false);
            var result = await RunAsync(context, session.Store.Objects, session.Identity, session.Policies, session.Audit, parse.GetValue(batch), cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    upToDate = result.WasUpToDate, full = result.Full, bronzeVersion = result.BronzeVersion, tableVersion = result.TableVersion,
                    documents = result.Documents, texts = result.Texts, unread = result.Unread, mentions = result.Mentions, unchanged = result.Unchanged,
                    resourcesLanded = result.ResourcesLanded, retracted = result.Retracted, removed = result.Removed, fingerprint = result.Fingerprint,
                }));
            }
            else
            {
                WriteText(context.Out, result);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// Runs the job over the lake with progress, as <paramref name="identity"/> once the policies let it read the text as
    /// written, and reports its timing on the error stream; the run (its counts, or its failure) is audited.
    /// </summary>
    public static async Task<NlpAnnotateResult> RunAsync(
        CliContext context, Storage.IObjectStore store, AccessIdentity identity, PolicySet policies, AuditLog audit, int batchDocuments, CancellationToken cancellationToken)
    {
        const string Query = "nlp annotate";
        await NlpAccess.AuthorizeAsync(identity, policies, audit, Query, Query, cancellationToken).ConfigureAwait(false);
        var started = context.Time.GetTimestamp();
        NlpAnnotateResult result;
        try
        {
            var job = await NlpAnnotationJob.OpenAsync(store, new IngestOptions { Time = context.Time }, Nlp.Annotator.Shipped(), new NlpAnnotateOptions { BatchDocuments = batchDocuments }, cancellationToken).ConfigureAwait(false);
            result = await context.WithProgressAsync("Annotating", update => job.RunAsync(new SynchronousProgress<NlpAnnotateProgress>(p =>
                update((double)p.Done / Math.Max(1, p.Total), $"Annotating {p.Done:N0}/{p.Total:N0} resources ({p.Mentions:N0} mentions)")), cancellationToken)).ConfigureAwait(false);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            await NlpAccess.AppendAsync(audit, identity, Query, 0, AuditOutcomes.Error, failure.GetType().Name, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        await NlpAccess.AppendAsync(audit, identity, $"{Query} bronze v{result.BronzeVersion} {result.Fingerprint}", result.Documents, AuditOutcomes.Ok, null, cancellationToken).ConfigureAwait(false);
        var seconds = context.Time.GetElapsedTime(started).TotalSeconds;
        context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"nlp annotate: {result.Documents} resources read, {result.Mentions} mentions, {result.ResourcesLanded} FHIR resources landed in {seconds:F1} s ({result.Documents / Math.Max(seconds, 1e-3):F0} resources/s)"));
        return result;
    }

    public static void WriteText(TextWriter output, NlpAnnotateResult r)
    {
        if (r.WasUpToDate)
        {
            output.WriteLine($"gold.nlp_annotations is up to date with bronze v{r.BronzeVersion}: nothing to do.");
            return;
        }

        output.WriteLine($"Engine: {r.Fingerprint}{(r.Full ? " (everything annotated)" : " (resources changed since the last run)")}");
        output.WriteLine($"Resources read: {r.Documents:N0} ({r.Texts:N0} texts; {r.Unchanged:N0} unchanged; {r.Unread:N0} texts not readable, such as PDFs or attachments by url)");
        output.WriteLine($"Mentions written: {r.Mentions:N0}");
        output.WriteLine($"FHIR landed in bronze (source nlp): {r.ResourcesLanded:N0}; retracted (entered-in-error): {r.Retracted:N0}; sources removed: {r.Removed:N0}");
        output.WriteLine(r.TableVersion is { } v ? $"gold.nlp_annotations v{v} reflects bronze v{r.BronzeVersion}" : "gold.nlp_annotations: nothing changed, nothing committed");
    }
}
