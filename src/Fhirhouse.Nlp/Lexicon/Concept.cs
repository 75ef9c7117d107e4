namespace Fhirhouse.Nlp.Lexicon;

/// <summary>What kind of clinical thing a concept is, which decides the FHIR resource a mention becomes.</summary>
public enum ConceptKind
{
    Condition,
    Symptom,
    Finding,
    Procedure,
    Medication,
    Measurement,
}

/// <summary>A code of a concept in a code system (<c>http://snomed.info/sct</c>, ICD-10, ATC, LOINC).</summary>
public sealed record Coding(string System, string Code);

/// <summary>A concept of the lexicon: its id, preferred name, kind and codes.</summary>
public sealed record Concept(string Id, string Display, ConceptKind Kind, IReadOnlyList<Coding> Codes);

/// <summary>A concept found in a text: where (token indexes and character span), the words as written, and whether a typo was forgiven.</summary>
public sealed record ConceptMatch(Concept Concept, int FirstToken, int LastToken, int Start, int End, string Text, bool Fuzzy);
