namespace Fhirhouse.Nlp.Lexicon;

/// <summary>
/// The short names of code systems in lexicon files and the URIs they stand for. A system that has no short name is
/// written as its URI (<c>urn:umls:sab:MDRFRE|10012601</c>): any absolute URI is accepted as a system.
/// </summary>
internal static class CodeSystemNames
{
    public const string Snomed = "http://snomed.info/sct";
    public const string Icd10 = "http://hl7.org/fhir/sid/icd-10";
    public const string Icd10Cm = "http://hl7.org/fhir/sid/icd-10-cm";
    public const string Atc = "http://www.whocc.no/atc";
    public const string Loinc = "http://loinc.org";
    public const string Umls = "http://www.nlm.nih.gov/research/umls";

    private static readonly (string Name, string Uri)[] s_names =
    [
        ("sct", Snomed),
        ("icd10", Icd10),
        ("icd10cm", Icd10Cm),
        ("atc", Atc),
        ("loinc", Loinc),
        ("umls", Umls),
    ];

    /// <summary>The names a lexicon file may use, for error messages.</summary>
    public static string Accepted => string.Join(", ", s_names.Select(n => n.Name)) + " or an absolute URI";

    /// <summary>The URI of <paramref name="name"/>: a short name's, or the name itself when it is an absolute URI; else null.</summary>
    public static string? Uri(string name)
    {
        foreach (var (shortName, uri) in s_names)
        {
            if (string.Equals(shortName, name, StringComparison.Ordinal))
            {
                return uri;
            }
        }

        return IsAbsoluteUri(name) ? name : null;
    }

    /// <summary>The name <paramref name="uri"/> is written with: its short name, else the URI.</summary>
    public static string Name(string uri)
    {
        foreach (var (shortName, known) in s_names)
        {
            if (string.Equals(known, uri, StringComparison.Ordinal))
            {
                return shortName;
            }
        }

        return uri;
    }

    private static bool IsAbsoluteUri(string name) =>
        name.StartsWith("urn:", StringComparison.Ordinal) || name.Contains("://", StringComparison.Ordinal);
}
