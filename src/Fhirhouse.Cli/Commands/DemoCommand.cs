using System.CommandLine;
using Fhirhouse.Ingest.Pipeline;
using Fhirhouse.Ingest.Validation;
using Fhirhouse.Synthetic;
using Spectre.Console;

namespace Fhirhouse.Cli.Commands;

/// <summary>
/// <c>fhirhouse demo</c>: runs the pipeline end to end on embedded defaults in one folder of the current directory.
/// Today: generates the synthetic hospital and ingests it into an encrypted lake.
/// </summary>
internal static class DemoCommand
{
    internal const string MarkerFile = ".fhirhouse-demo";

    public static Command Create(CliContext context)
    {
        var hospital = new HospitalOptionSet(defaultPatients: 500);
        var output = new Option<string>("--out", "-o") { Description = "Demo folder (re-created on each run if it is a previous demo's).", DefaultValueFactory = _ => "fhirhouse-demo" };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON." };
        var command = new Command("demo", "Run the whole pipeline on a generated hospital, with no input; everything goes under one folder named at the end.");
        hospital.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(json);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = hospital.Bind(parse);
            var folder = Path.GetFullPath(parse.GetValue(output)!);
            PrepareFolder(folder);
            var source = Path.Combine(folder, "source");
            var summary = GenerateCommand.Run(context, options, source, cancellationToken);

            var lakeFolder = Path.Combine(folder, "lake");
            var keyring = Path.Combine(folder, "keys", "keyring.json");
            var lake = await LakeOptionSet.OpenAsync(lakeFolder, keyring, context, cancellationToken).ConfigureAwait(false);
            var files = summary.Files.Select(f => (Path.Combine(source, f), PayloadFormat.Ndjson)).ToList();
            var ingest = await IngestCommand.RunAsync(context, lake.Objects, files, ValidationLevel.Structure, cancellationToken).ConfigureAwait(false);

            if (parse.GetValue(json))
            {
                GenerationReport.WriteJson(context.Out, summary, new Dictionary<string, object>
                {
                    ["demoFolder"] = folder,
                    ["lake"] = lakeFolder,
                    ["ingested"] = ingest.Resources,
                    ["quarantined"] = ingest.Quarantined,
                });
            }
            else
            {
                context.Console.MarkupLine("[bold]1. Synthetic hospital[/] (FHIR R4 in the Bulk Data layout)");
                GenerationReport.WriteTable(context.Console, summary, options);
                context.Out.WriteLine();
                context.Console.MarkupLine("[bold]2. Ingestion[/] into the encrypted lake (raw zone, bronze fhir_resources, quarantine)");
                IngestCommand.WriteText(context.Out, ingest);
                context.Out.WriteLine();
                context.Out.WriteLine($"Demo folder: {folder}");
                context.Out.WriteLine($"  source/   the hospital's FHIR export ({summary.Files.Count} NDJSON files), {HospitalGenerator.GroundTruthFileName}, {HospitalGenerator.ManifestFileName}");
                context.Out.WriteLine("  lake/     the encrypted lake: raw payloads and Delta tables (every object AES-256-GCM)");
                context.Out.WriteLine("  keys/     the demo's local keyring and master key (keep real keys away from the lake)");
                context.Out.WriteLine($"Look at it: fhirhouse table describe fhir_resources --lake {lakeFolder} --keyring {keyring}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Creates the folder, or clears it when it holds a previous demo; refuses a non-empty folder that is not a demo's.</summary>
    internal static void PrepareFolder(string folder)
    {
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
        {
            if (!File.Exists(Path.Combine(folder, MarkerFile)))
            {
                throw new IOException($"{folder} exists and is not a Fhirhouse demo folder; choose another with --out.");
            }

            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, MarkerFile), "This folder is written by 'fhirhouse demo' and re-created on each run.\n");
    }
}
