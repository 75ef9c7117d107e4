using System.Text;
using System.Text.Json;
using Fhirhouse.Synthetic;
using Fhirhouse.Testing;

namespace Fhirhouse.Synthetic.Tests;

/// <summary>One generated hospital shared by the tests of a class: 250 patients, 2022-2025, every drift scenario.</summary>
public sealed class GeneratedHospital : IDisposable
{
    private readonly TempFolder _folder = new();

    public GeneratedHospital()
    {
        Options = new HospitalOptions { Patients = 250, Seed = 7, MaxResourcesPerFile = 2_000 };
        Summary = new HospitalGenerator(Options).Generate(_folder.Path);
        foreach (var file in Directory.EnumerateFiles(_folder.Path, "*.ndjson").Where(f => !f.EndsWith(HospitalGenerator.GroundTruthFileName, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            foreach (var line in File.ReadLines(file))
            {
                var doc = JsonDocument.Parse(line);
                var type = doc.RootElement.GetProperty("resourceType").GetString()!;
                if (!Resources.TryGetValue(type, out var list))
                {
                    Resources[type] = list = [];
                }

                list.Add(doc.RootElement);
            }
        }

        foreach (var line in File.ReadLines(Path.Combine(_folder.Path, HospitalGenerator.GroundTruthFileName)))
        {
            var truth = JsonDocument.Parse(line).RootElement;
            (truth.TryGetProperty("communication", out _) ? MessageTruths : Truths).Add(truth);
        }
    }

    public HospitalOptions Options { get; }

    public GenerationSummary Summary { get; }

    public string Folder => _folder.Path;

    public Dictionary<string, List<JsonElement>> Resources { get; } = new(StringComparer.Ordinal);

    /// <summary>The ground-truth lines of the notes (DocumentReference).</summary>
    public List<JsonElement> Truths { get; } = [];

    /// <summary>The ground-truth lines of the patient messages (Communication).</summary>
    public List<JsonElement> MessageTruths { get; } = [];

    public IEnumerable<JsonElement> All => Resources.Values.SelectMany(r => r);

    public static string NoteText(JsonElement documentReference) =>
        Encoding.UTF8.GetString(documentReference.GetProperty("content")[0].GetProperty("attachment").GetProperty("data").GetBytesFromBase64());

    public static string MessageText(JsonElement communication) =>
        communication.GetProperty("payload")[0].GetProperty("contentString").GetString()!;

    public void Dispose() => _folder.Dispose();
}
