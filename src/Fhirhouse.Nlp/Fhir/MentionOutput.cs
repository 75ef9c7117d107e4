namespace Fhirhouse.Nlp.Fhir;

/// <summary>
/// One mention the engine found, whether or not it made a resource: its id (<see cref="NlpIds.Mention"/>), the text it
/// is in, its kind (<c>concept</c>, <c>measurement</c>, <c>medication</c>), its span <c>[Start, End)</c> in that text,
/// and the resource that holds it (<c>Condition/nlp-…</c>), or null when it makes none (hypothetical, negated family
/// history, no patient...).
/// </summary>
public sealed record MentionOutput(string MentionId, string TextPath, string Kind, int Start, int End, string? ResourceKey);
