using System.CommandLine;
using System.Diagnostics;
using Fhirhouse.Synthetic;

namespace Fhirhouse.Cli.Commands;

/// <summary><c>fhirhouse generate</c>: writes a synthetic hospital as FHIR R4 (NDJSON or Bundles) with the notes' ground truth.</summary>
internal static class GenerateCommand
{
    public static Command Create(CliContext context)
    {
        var hospital = new HospitalOptionSet(defaultPatients: 1000);
        var output = new Option<string>("--out", "-o") { Description = "Folder to write into (created; must not already hold a generated hospital).", Required = true };
        var format = new Option<string>("--format") { Description = "ndjson (Bulk Data layout: Patient.000.ndjson, ...) or bundles (a transaction Bundle per patient).", DefaultValueFactory = _ => "ndjson" };
        format.AcceptOnlyFromAmong("ndjson", "bundles");
        var perFile = new Option<int>("--max-per-file") { Description = "NDJSON lines per file before a new file starts.", DefaultValueFactory = _ => 100_000 };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON." };

        var command = new Command("generate", "Generate a synthetic hospital: patients, encounters, conditions, observations, medications, procedures and clinical notes (French and English), with drift over the years.");
        hospital.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(format);
        command.Options.Add(perFile);
        command.Options.Add(json);
        command.SetAction((parse, cancellationToken) =>
        {
            var options = hospital.Bind(parse) with
            {
                Format = parse.GetValue(format) == "bundles" ? OutputFormat.Bundles : OutputFormat.Ndjson,
                MaxResourcesPerFile = parse.GetValue(perFile),
            };
            options.Validate();
            var summary = Run(context, options, parse.GetValue(output)!, cancellationToken);
            if (parse.GetValue(json))
            {
                GenerationReport.WriteJson(context.Out, summary);
            }
            else
            {
                GenerationReport.WriteTable(context.Console, summary, options);
                context.Out.WriteLine($"Written to {summary.OutputFolder}");
            }

            return Task.FromResult(ExitCodes.Ok);
        });
        return command;
    }

    /// <summary>Generates with a progress bar when interactive.</summary>
    public static GenerationSummary Run(CliContext context, HospitalOptions options, string folder, CancellationToken cancellationToken)
    {
        var started = context.Time.GetTimestamp();
        var summary = context.WithProgress("Generating patients", report =>
            new HospitalGenerator(options).Generate(
                folder,
                new SynchronousProgress<GenerationProgress>(p => report((double)p.PatientsDone / p.PatientsTotal, $"Generating patients {p.PatientsDone:N0}/{p.PatientsTotal:N0}")),
                cancellationToken));
        var elapsed = context.Time.GetElapsedTime(started);
        context.Error.WriteLine($"generate: {summary.Patients} patients, {summary.Resources} resources in {elapsed.TotalSeconds:F1} s ({summary.Resources / Math.Max(elapsed.TotalSeconds, 1e-3):F0} resources/s)");
        return summary;
    }
}
