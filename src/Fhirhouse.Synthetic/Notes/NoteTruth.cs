namespace Fhirhouse.Synthetic.Notes;

/// <summary>What one generated note really says: its resource, language, text and every concept mention in it.</summary>
public sealed record NoteTruth(
    string DocumentReferenceId,
    string PatientId,
    string EncounterId,
    string Language,
    string Text,
    IReadOnlyList<NoteMention> Mentions);
