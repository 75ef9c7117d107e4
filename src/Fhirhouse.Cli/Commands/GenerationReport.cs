using System.Text.Json;
using Fhirhouse.Synthetic;
using Spectre.Console;

namespace Fhirhouse.Cli.Commands;

/// <summary>Prints what a generation run made, as a table for people or as JSON for machines.</summary>
internal static class GenerationReport
{
    public static void WriteJson(TextWriter output, GenerationSummary summary, IReadOnlyDictionary<string, object>? extra = null)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            if (extra is not null)
            {
                foreach (var (key, value) in extra)
                {
                    w.WritePropertyName(key);
                    JsonSerializer.Serialize(w, value, value.GetType());
                }
            }

            w.WriteString("output", summary.OutputFolder);
            w.WriteNumber("patients", summary.Patients);
            summary.WriteCounts(w);
            w.WriteString("groundTruth", summary.GroundTruthFile);
            w.WriteString("manifest", summary.ManifestFile);
            w.WriteNumber("files", summary.Files.Count);
            w.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    public static void WriteTable(IAnsiConsole console, GenerationSummary summary, HospitalOptions options)
    {
        console.MarkupLineInterpolated($"Synthetic hospital: {summary.Patients:N0} patients, {options.FromYear}-{options.ToYear}, seed {options.Seed}");
        var table = new Table();
        table.AddColumn("resource type");
        table.AddColumn(new TableColumn("count").RightAligned());
        foreach (var (type, count) in summary.ResourcesByType)
        {
            table.AddRow(type, count.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        }

        table.AddRow("[bold]total[/]", $"[bold]{summary.Resources:N0}[/]");
        console.Write(table);
        var languages = string.Join(", ", summary.NotesByLanguage.Select(kv => $"{kv.Value:N0} {(kv.Key == "fr" ? "French" : "English")}"));
        console.MarkupLineInterpolated($"Clinical notes: {summary.Notes:N0} ({languages}); ground truth in {summary.GroundTruthFile}");
        var drift = options.Drift.Count == 0 ? "none" : string.Join(", ", options.Drift.Order().Select(DriftScenarios.NameOf));
        console.MarkupLineInterpolated($"Drift from {options.DriftStart:yyyy-MM-dd}: {drift}");
    }
}
