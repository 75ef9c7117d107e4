namespace Fhirhouse.Synthetic.Catalog;

/// <summary>
/// A clinical concept the hospital codes and its notes mention: codes (SNOMED CT, ICD-10), English and French
/// surface forms, and the adjectives used for family history ("diabétique", "asthmatic").
/// </summary>
public sealed record ClinicalConcept(
    string Key,
    ConceptKind Kind,
    Code Snomed,
    Code Icd10,
    IReadOnlyList<string> TermsEn,
    IReadOnlyList<Term> TermsFr,
    string? FamilyAdjectiveEn = null,
    string? FamilyAdjectiveFrMasculine = null,
    string? FamilyAdjectiveFrFeminine = null)
{
    /// <summary>Every surface form, both languages, family adjectives included.</summary>
    public IEnumerable<string> AllSurfaceForms()
    {
        foreach (var t in TermsEn)
        {
            yield return t;
        }

        foreach (var t in TermsFr)
        {
            yield return t.Text;
        }

        foreach (var a in new[] { FamilyAdjectiveEn, FamilyAdjectiveFrMasculine, FamilyAdjectiveFrFeminine })
        {
            if (a is not null)
            {
                yield return a;
            }
        }
    }
}
