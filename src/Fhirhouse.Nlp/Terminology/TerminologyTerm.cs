using Fhirhouse.Nlp.Lexicon;

namespace Fhirhouse.Nlp.Terminology;

/// <summary>
/// One term of a concept, as a terminology release file or a lexicon file gives it: the words to match, the concept's
/// id, kind and display, and the codes this term brings to the concept (a concept's codes are the union over its terms).
/// </summary>
public sealed record TerminologyTerm(string Term, string ConceptId, ConceptKind Kind, string Display, IReadOnlyList<Coding> Codes);
