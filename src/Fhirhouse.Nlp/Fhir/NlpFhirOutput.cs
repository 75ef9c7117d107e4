namespace Fhirhouse.Nlp.Fhir;

/// <summary>What the NLP stage writes for one source resource: the FHIR resources made, and every mention found.</summary>
public sealed record NlpFhirOutput(IReadOnlyList<WrittenResource> Resources, IReadOnlyList<MentionOutput> Mentions);
