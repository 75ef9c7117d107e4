using System.CommandLine;
using Fhirhouse.Delta;
using Fhirhouse.Errors;
using Fhirhouse.Governance.Audit;
using Fhirhouse.Lake.Bronze;
using Fhirhouse.Nlp.Annotations;
using Fhirhouse.Nlp.Fhir;
using Fhirhouse.Nlp.Rendering;
using Fhirhouse.Nlp.Sources;

namespace Fhirhouse.Cli.Commands;

/// <summary>
/// <c>fhirhouse nlp show Type/id [--html FILE]</c>: a resource's free text from the lake with what the engine finds in
/// it, printed, and as an HTML page for a clinician (colour-coded spans, assertion badges, legend). It reads the text as
/// written, so it needs an identity the policies let read both bronze and <c>gold.nlp_annotations</c> unmasked and
/// unfiltered (a clinician for treatment, by default); every reading and every refusal is audited.
/// </summary>
internal static class NlpShowCommand
{
    public static Command Create(CliContext context)
    {
        var lake = new LakeOptionSet();
        var governance = new GovernanceOptionSet();
        var key = new Argument<string>("resource") { Description = "The resource: DocumentReference/ID, DiagnosticReport/ID, MedicationRequest/ID or Communication/ID." };
        var html = new Option<string?>("--html") { Description = "Also write the text with its annotations as an HTML page to this file (it holds the text as written: PHI)." };
        var json = new Option<bool>("--json") { Description = "One JSON object per mention, one per line (as nlp text --json)." };
        var command = new Command("show", "Show a resource's text from the lake with its concepts, assertions, measurements and drugs (through the guard, audited); --html writes a page for a clinician.");
        command.Arguments.Add(key);
        lake.AddTo(command);
        governance.AddTo(command);
        command.Options.Add(html);
        command.Options.Add(json);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (document, texts) = await ReadAsync(parse, lake, governance, context, parse.GetValue(key)!, "nlp show", cancellationToken).ConfigureAwait(false);
            foreach (var text in texts)
            {
                context.Out.WriteLine($"# {document.Key} {text.Text.Path}");
                NlpCommand.WriteMentions(context, text.Reading, parse.GetValue(json));
            }

            if (parse.GetValue(html) is { } file)
            {
                var page = AnnotationHtml.Render(document.Key, [.. texts.Select(t => (t.Text.Path, t.Text.Text, t.Reading))]);
                await File.WriteAllTextAsync(file, page, cancellationToken).ConfigureAwait(false);
                context.Error.WriteLine($"nlp show: {file} written");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// A resource's texts, read from bronze's current version and annotated, after the policies allowed the identity to
    /// read bronze and <c>gold.nlp_annotations</c> unmasked and unfiltered; the reading, or its refusal, is audited.
    /// </summary>
    public static async Task<(SourceDocument Document, IReadOnlyList<TextAnnotation> Texts)> ReadAsync(
        ParseResult parse, LakeOptionSet lake, GovernanceOptionSet governance, CliContext context, string key, string operation, CancellationToken cancellationToken)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == key.Length - 1 || !SourceTexts.ResourceTypes.Contains(key[..slash]))
        {
            throw new FhirhouseException(ErrorCodes.InvalidValue, ErrorKind.Usage,
                $"'{key}' is not a resource the annotator reads: give Type/id with Type one of {string.Join(", ", SourceTexts.ResourceTypes.Order(StringComparer.Ordinal))}.");
        }

        using var session = await governance.OpenSessionAsync(parse, lake, context, cancellationToken).ConfigureAwait(false);
        var identity = session.Identity;
        var query = $"{operation} {key}";
        await NlpAccess.AuthorizeAsync(identity, session.Policies, session.Audit, operation, query, cancellationToken).ConfigureAwait(false);

        var bronze = await BronzeTable.OpenAsync(session.Store.Objects, new DeltaTableOptions { TimeProvider = context.Time }, cancellationToken).ConfigureAwait(false);
        var snapshot = await bronze.Table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var current = await BronzeScan.ReadCurrentAsync(bronze.Table, snapshot, key[..slash], cancellationToken).ConfigureAwait(false);
        SourceReading? reading = null;
        if (current.TryGetValue(key, out var found) && !found.Row.Deleted)
        {
            await BronzeScan.ReadResourcesAsync(bronze.Table, snapshot.Files[found.At.File], new Dictionary<long, string> { [found.At.Row] = key }, (_, resource) => reading = SourceTexts.Read(resource), cancellationToken).ConfigureAwait(false);
        }

        if (reading is null)
        {
            await NlpAccess.AppendAsync(session.Audit, identity, query, 0, AuditOutcomes.Error, "not in the lake", cancellationToken).ConfigureAwait(false);
            throw new FhirhouseException(ErrorCodes.InvalidValue, ErrorKind.Usage, $"{key} is not in the lake (no current version in bronze at v{snapshot.Version}).");
        }

        var annotator = Nlp.Annotator.Shipped();
        var texts = reading.Document.Texts
            .Select(t => new TextAnnotation(t, annotator.Read(t.Text, NlpAnnotationJob.LanguageOf(t.Language), reading.Document.WrittenYear)))
            .ToList();
        await NlpAccess.AppendAsync(session.Audit, identity, query, texts.Sum(t => t.Reading.Mentions.Count), AuditOutcomes.Ok, null, cancellationToken).ConfigureAwait(false);
        foreach (var unread in reading.Unread)
        {
            context.Error.WriteLine($"{operation}: {key} {unread}");
        }

        return (reading.Document, texts);
    }
}
