using System.CommandLine;
using System.Text.Json;
using Fhirhouse.Fhir.Ndjson;
using Fhirhouse.Ingest.Files;
using Fhirhouse.Lake.Landing;
using Fhirhouse.Ingest.Validation;
using Fhirhouse.Storage;

namespace Fhirhouse.Cli.Commands;

/// <summary><c>fhirhouse ingest files PATH...</c>: lands FHIR files in the lake (raw zone, bronze, quarantine).</summary>
internal static class IngestCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("ingest", "Collect FHIR into the lake: every payload kept as received (encrypted), every resource version a bronze row, bad input quarantined with the reason.");
        command.Subcommands.Add(Files(context));
        command.Subcommands.Add(IngestBulkCommand.Create(context));
        command.Subcommands.Add(IngestKafkaCommand.Create(context));
        command.Subcommands.Add(IngestRestCommand.Create(context));
        return command;
    }

    private static Command Files(CliContext context)
    {
        var lake = new LakeOptionSet();
        var paths = new Argument<string[]>("paths") { Description = "NDJSON (.ndjson, .jsonl, optionally .gz) and JSON (a Bundle or one resource) files, or folders of them.", Arity = ArgumentArity.OneOrMore };
        var validation = new Option<string>("--validation") { Description = "none, structure (fast, our checks) or full (Firely validator, base R4).", DefaultValueFactory = _ => "structure" };
        validation.AcceptOnlyFromAmong("none", "structure", "full");
        var maxLineBytes = new Option<int>("--max-line-bytes")
        {
            Description = "The longest NDJSON line landed, in bytes; a longer line is quarantined (the raw payload keeps it) and the file goes on.",
            DefaultValueFactory = _ => NdjsonReader.DefaultMaxLineBytes,
        };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON." };
        var command = new Command("files", "Ingest NDJSON and Bundle files or folders.");
        command.Arguments.Add(paths);
        lake.AddTo(command);
        command.Options.Add(validation);
        command.Options.Add(maxLineBytes);
        command.Options.Add(json);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var longest = parse.GetValue(maxLineBytes);
            if (longest < 1 || longest > Array.MaxLength - 1)
            {
                throw new ArgumentException($"--max-line-bytes {longest}: give a number of bytes from 1 to {Array.MaxLength - 1}.");
            }

            var files = FileIngestor.Resolve(parse.GetValue(paths)!);
            var store = await lake.OpenAsync(parse, context, cancellationToken, create: true).ConfigureAwait(false);
            var level = parse.GetValue(validation) switch { "none" => ValidationLevel.None, "full" => ValidationLevel.Full, _ => ValidationLevel.Structure };
            var summary = await RunAsync(context, store.Objects, files, level, longest, cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                WriteJson(context.Out, summary);
            }
            else
            {
                WriteText(context.Out, summary);
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    public static async Task<IngestSummary> RunAsync(
        CliContext context, IObjectStore lake, IReadOnlyList<(string Path, PayloadFormat Format)> files, ValidationLevel level, int maxLineBytes,
        CancellationToken cancellationToken)
    {
        var options = new IngestOptions
        {
            Validation = level,
            MaxLineBytes = maxLineBytes,
            Time = context.Time,
            FullValidator = level == ValidationLevel.Full
                ? new FirelyResourceValidator(Path.Combine(AppContext.BaseDirectory, "specification.zip"), Path.Combine(Path.GetTempPath(), "fhirhouse-firely-cache"))
                : null,
        };
        var ingestor = await PayloadIngestor.OpenAsync(lake, options, cancellationToken).ConfigureAwait(false);
        var started = context.Time.GetTimestamp();
        var done = 0;
        var summary = await context.WithProgressAsync("Ingesting", report =>
            new FileIngestor(ingestor).IngestAsync(files, new SynchronousProgress<PayloadResult>(r =>
            {
                done++;
                report((double)done / files.Count, $"Ingesting {done}/{files.Count} files");
                context.Error.WriteLine($"ingest: {Path.GetFileName(r.Location)}: {(r.AlreadyIngested ? "already ingested" : $"{r.Resources} resources, {r.Quarantined} quarantined")}");
            }), cancellationToken)).ConfigureAwait(false);
        var seconds = context.Time.GetElapsedTime(started).TotalSeconds;
        context.Error.WriteLine($"ingest: {summary.Resources} resources from {files.Count} files in {seconds:F1} s ({summary.Resources / Math.Max(seconds, 1e-3):F0} resources/s)");
        return summary;
    }

    public static void WriteText(TextWriter output, IngestSummary summary)
    {
        output.WriteLine($"Payloads: {summary.Payloads.Count} ({summary.AlreadyIngested} already ingested)");
        output.WriteLine($"Resources landed in bronze: {summary.Resources} ({summary.Deleted} deletions)");
        output.WriteLine($"Quarantined: {summary.Quarantined}{(summary.Quarantined > 0 ? " (see the quarantine table: reason, file and line of each)" : string.Empty)}");
    }

    private static void WriteJson(TextWriter output, IngestSummary summary)
    {
        var document = new
        {
            payloads = summary.Payloads.Count,
            alreadyIngested = summary.AlreadyIngested,
            resources = summary.Resources,
            deleted = summary.Deleted,
            quarantined = summary.Quarantined,
            files = summary.Payloads.Select(p => new { location = p.Location, rawKey = p.RawKey, alreadyIngested = p.AlreadyIngested, resources = p.Resources, quarantined = p.Quarantined }),
        };
        output.WriteLine(JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }));
    }
}
