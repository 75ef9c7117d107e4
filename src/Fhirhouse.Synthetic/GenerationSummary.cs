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
    string ManifestFile);
