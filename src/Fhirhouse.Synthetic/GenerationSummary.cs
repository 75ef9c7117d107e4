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
    /// <summary>Patient messages written (Communication: portal messages, replies, triage chats), each with a ground-truth line.</summary>
    public long Messages { get; init; }

    /// <summary>Patient messages by language ("fr", "en").</summary>
    public IReadOnlyDictionary<string, long> MessagesByLanguage { get; init; } = new Dictionary<string, long>(StringComparer.Ordinal);

    /// <summary>Patient messages by channel ("patient-portal", "triage-chatbot").</summary>
    public IReadOnlyDictionary<string, long> MessagesByChannel { get; init; } = new Dictionary<string, long>(StringComparer.Ordinal);

    /// <summary>Writes "resources", "resourcesByType", "notes", "notesByLanguage", "messages", "messagesByLanguage" and "messagesByChannel" into the open JSON object.</summary>
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
        w.WriteNumber("messages", Messages);
        WriteMap(w, "messagesByLanguage", MessagesByLanguage);
        WriteMap(w, "messagesByChannel", MessagesByChannel);
    }

    private static void WriteMap(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, long> counts)
    {
        w.WriteStartObject(name);
        foreach (var (key, count) in counts)
        {
            w.WriteNumber(key, count);
        }

        w.WriteEndObject();
    }
}
