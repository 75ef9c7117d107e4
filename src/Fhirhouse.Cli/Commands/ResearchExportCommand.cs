using System.CommandLine;
using Fhirhouse.Governance.Audit;
using Fhirhouse.Governance.Research;
using Fhirhouse.Governance.Secrets;

namespace Fhirhouse.Cli.Commands;

/// <summary>
/// <c>fhirhouse export research --sql "SELECT ..." | --view NAME | --resources TYPE --format parquet|ndjson --out PATH</c>:
/// a pseudonymised extract (keyed pseudonyms, dates shifted per patient, no names, addresses or contacts, no free text
/// unless <c>--keep-text</c>), read through the policies as <c>--role</c>/<c>--purpose</c> (masks, consent filters) and
/// audited. See docs/research-exports.md.
/// </summary>
internal static class ResearchExportCommand
{
    public static Command Create(CliContext context)
    {
        var lake = new LakeOptionSet();
        var governance = new GovernanceOptionSet();
        var sql = new Option<string?>("--sql") { Description = "A read-only SQL statement over the lake's tables." };
        var view = new Option<string?>("--view") { Description = "A materialised view, exported whole." };
        var resources = new Option<string?>("--resources") { Description = "Whole current resources of one type (NDJSON)." };
        var format = new Option<string>("--format", "-f") { Description = "parquet or ndjson.", DefaultValueFactory = _ => "parquet" };
        format.AcceptOnlyFromAmong("parquet", "ndjson");
        var output = new Option<string>("--out", "-o") { Description = "The file to write (plaintext, pseudonymised).", Required = true };
        var keepText = new Option<bool>("--keep-text") { Description = "Keep clinical free text (notes, narrative, document content); names, addresses and contacts are removed regardless." };
        var maxShift = new Option<int>("--max-shift-days") { Description = "Largest date shift either way, in days.", DefaultValueFactory = _ => 365 };
        var research = new Command("research", "Write a pseudonymised research extract: identifiers hashed with the lake's key, dates shifted per patient, free text removed.");
        lake.AddTo(research);
        governance.AddTo(research);
        foreach (var option in new Option[] { sql, view, resources, format, output, keepText, maxShift })
        {
            research.Options.Add(option);
        }

        research.SetAction(async (parse, cancellationToken) =>
        {
            var options = new ResearchExportOptions
            {
                Sql = parse.GetValue(sql),
                View = parse.GetValue(view),
                ResourceType = parse.GetValue(resources),
                Format = parse.GetValue(format) == "ndjson" ? ResearchExportFormat.Ndjson : ResearchExportFormat.Parquet,
                OutputPath = parse.GetValue(output)!,
                KeepText = parse.GetValue(keepText),
                MaxShiftDays = parse.GetValue(maxShift),
            }.Validate();
            var identity = governance.Identity(parse);
            var store = await lake.OpenAsync(parse, context, cancellationToken).ConfigureAwait(false);
            var policies = await governance.LoadPoliciesAsync(parse, store, identity, context, cancellationToken).ConfigureAwait(false);
            var keys = store.Encrypted?.KeyProvider ?? throw new InvalidOperationException($"Lake {store.Location}: research pseudonyms are keyed from the lake's key provider; an sse-kms lake has none.");
            var secrets = await LakeSecrets.OpenAsync(store.Objects, keys, cancellationToken).ConfigureAwait(false);
            var queryOptions = await GovernanceOptionSet.QueryOptionsAsync(store, parse.GetValue(lake.Keyring)!, policies, identity, EntryPoints.ResearchExport, context, cancellationToken).ConfigureAwait(false);
            var result = await new ResearchExporter(store.Objects, queryOptions, Pseudonymizer.For(secrets, options.MaxShiftDays)).ExportAsync(options, cancellationToken).ConfigureAwait(false);
            context.Error.WriteLine($"export research: {result.Rows} rows written to {result.Path}");
            if (result.Removed.Count > 0)
            {
                context.Error.WriteLine($"export research: columns left out: {string.Join(", ", result.Removed)}");
            }

            return ExitCodes.Ok;
        });
        var command = new Command("export", "Extracts out of the lake.");
        command.Subcommands.Add(research);
        return command;
    }
}
