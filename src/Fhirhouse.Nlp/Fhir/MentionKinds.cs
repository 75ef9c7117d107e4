namespace Fhirhouse.Nlp.Fhir;

/// <summary>The kinds of <see cref="MentionOutput"/>: what found a mention, and the namespace of its id.</summary>
public static class MentionKinds
{
    /// <summary>A concept of the lexicon (<c>TextReading.Mentions</c>).</summary>
    public const string Concept = "concept";

    /// <summary>A measurement with its value (<c>TextReading.Measurements</c>).</summary>
    public const string Measurement = "measurement";

    /// <summary>A drug with its dosage (<c>TextReading.Medications</c>).</summary>
    public const string Medication = "medication";
}
