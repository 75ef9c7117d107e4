using System.Text.Json;

namespace Fhirhouse.Synthetic;

/// <summary>What a generation run wrote.</summary>
public sealed record GenerationSummary(
    string OutputFolder,
    int Patients,
    long Resources,
    IReadOnlyDictionary<string, long> ResourcesByType,
    long Notes,
    IReadOnlyDictionary<string, long> NotesByLanguage,
    IReadOnlyList<string> Files,
    string GroundTruthFile,
    string ManifestFile)
{
    /// <summary>Writes "resources", "resourcesByType", "notes" and "notesByLanguage" into the open JSON object.</summary>
    public void WriteCounts(Utf8JsonWriter w)
    {
        w.WriteNumber("resources", Resources);
        w.WriteStartObject("resourcesByType");
        foreach (var (type, count) in ResourcesByType)
        {
            w.WriteNumber(type, count);
        }

        w.WriteEndObject();
        w.WriteNumber("notes", Notes);
        w.WriteStartObject("notesByLanguage");
        foreach (var (language, count) in NotesByLanguage)
        {
            w.WriteNumber(language, count);
        }

        w.WriteEndObject();
    }
}
