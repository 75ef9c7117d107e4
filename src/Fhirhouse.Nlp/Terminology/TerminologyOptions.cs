using System.Text;
using Fhirhouse.Nlp.Assertion;
using Fhirhouse.Nlp.Lexicon;

namespace Fhirhouse.Nlp.Terminology;

/// <summary>What to take from a terminology release file. Every setting has a default that suits the format.</summary>
public sealed record TerminologyOptions
{
    /// <summary>
    /// The language of the terms: SNOMED CT descriptions of that <c>languageCode</c> (<c>en</c>, <c>fr</c>), UMLS names of
    /// that <c>LAT</c> (<c>ENG</c>, <c>FRE</c>). Null: the format's own (French for ATIH, English for the others).
    /// ICD-10-CM and the LOINC table are English only, ATIH French only.
    /// </summary>
    public Language? Language { get; init; }

    /// <summary>UMLS only: the sources (<c>SAB</c>, e.g. <c>SNOMEDCT_US</c>, <c>MSHFRE</c>) whose names become terms; null for all.</summary>
    public IReadOnlyCollection<string>? Sources { get; init; }

    /// <summary>
    /// The kind of a concept the file does not classify: every UMLS concept (MRSTY is not read; null means
    /// <see cref="ConceptKind.Condition"/>), and a SNOMED CT concept whose fully specified name is not in the file
    /// (null: such concepts are left out).
    /// </summary>
    public ConceptKind? DefaultKind { get; init; }

    /// <summary>
    /// ICD-10-CM and ATIH: also the codes that are not valid for coding (ICD-10-CM header flag 0; ATIH MCO type 3,
    /// categories with subdivisions), whose labels are the general terms ("Type 2 diabetes mellitus", E11). Default false.
    /// </summary>
    public bool IncludeCategories { get; init; }

    /// <summary>ICD-10-CM and ATIH: also the short description as a term (often abbreviated: "Type 2 diab w/o compl"). Default false.</summary>
    public bool ShortLabels { get; init; }

    /// <summary>
    /// Also the forms without a parenthesised or bracketed part ("Essential hypertension" for "Essential (primary)
    /// hypertension") and without a trailing ", NOS", ", unspecified", ", sans précision" or " SAI". Default true.
    /// </summary>
    public bool Variants { get; init; } = true;

    /// <summary>
    /// The file's encoding when <see cref="TerminologyImport"/> opens it. Null: UTF-8 (a byte order mark is honoured); for
    /// ATIH files, UTF-8 if the whole file is valid UTF-8, else Windows-1252.
    /// </summary>
    public Encoding? Encoding { get; init; }

    internal static TerminologyOptions Default { get; } = new();

    /// <summary>The language for <paramref name="format"/>, failing on one the format does not have.</summary>
    internal Language LanguageFor(TerminologyFormat format)
    {
        var (native, only) = format switch
        {
            TerminologyFormat.Icd10CmOrder or TerminologyFormat.LoincTable => (Assertion.Language.English, true),
            TerminologyFormat.AtihCim10 => (Assertion.Language.French, true),
            _ => (Assertion.Language.English, false),
        };
        var language = Language ?? native;
        if (only && language != native)
        {
            throw new ArgumentException($"Language {language} is not in {format} files: they are {native} only (leave Language unset or set it to {native}).", nameof(Language));
        }

        if (Sources is { } sources && format != TerminologyFormat.UmlsConcepts)
        {
            throw new ArgumentException($"Sources filters UMLS names (SAB); {format} files have none.", nameof(Sources));
        }

        if (Sources is { Count: 0 })
        {
            throw new ArgumentException("Sources is empty: give at least one UMLS SAB (SNOMEDCT_US, MSHFRE...) or leave it unset for all.", nameof(Sources));
        }

        return language;
    }
}
