using Fhirhouse.Synthetic.Catalog;

namespace Fhirhouse.Synthetic.Messages;

/// <summary>
/// A concept in a patient's words, each language: as "I have it" clauses, as nouns (for "pas de ...", "no ...",
/// "could it be ..."; French with gender for its articles), and as what a relative has ("a du diabète", "had a stroke").
/// </summary>
internal sealed record LayWording(
    LayTerm[] HaveFr,
    Term[] NounsFr,
    LayTerm[] FamilyFr,
    LayTerm[] HaveEn,
    LayTerm[] NounsEn,
    LayTerm[] FamilyEn);
