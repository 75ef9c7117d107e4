using Fhirhouse.Nlp.Assertion;
using Fhirhouse.Nlp.Lexicon;

namespace Fhirhouse.Nlp.Terminology;

/// <summary>
/// Reads the UMLS Metathesaurus names file <c>MRCONSO.RRF</c>: 18 fields separated and ended by '|'
/// (<c>CUI|LAT|TS|LUI|STT|SUI|ISPREF|AUI|SAUI|SCUI|SDUI|SAB|TTY|CODE|STR|SRL|SUPPRESS|CVF|</c>). One concept a CUI, id
/// <c>umls:C0011860</c>. Terms are the names (STR) of the language (LAT <c>ENG</c>, <c>FRE</c>) and of the sources
/// asked for, not suppressed (SUPPRESS O, E, Y). Codes: the CUI, and the CODE of every not suppressed row of the CUI in
/// any language, SNOMEDCT_US as SNOMED CT, ICD10CM, ICD10, LNC as LOINC, ATC, any other source as
/// <c>urn:umls:sab:SAB</c>. The display is the CUI's preferred name in the language (TS P, STT PF, ISPREF Y).
/// The kind is <see cref="TerminologyOptions.DefaultKind"/> (Condition): semantic types (MRSTY) are not read.
/// </summary>
/// <remarks>MRCONSO is sorted by CUI: the reader holds one CUI's rows at a time.</remarks>
internal static class UmlsConceptFile
{
    private const string Kind = "UMLS MRCONSO file";
    private const int Fields = 18;

    public static IEnumerable<TerminologyTerm> Read(TextReader reader, string name, Language language, TerminologyOptions options)
    {
        var lat = language == Language.French ? "FRE" : "ENG";
        var sources = options.Sources is { } given ? new HashSet<string>(given, StringComparer.Ordinal) : null;
        var kind = options.DefaultKind ?? ConceptKind.Condition;
        var n = 0L;
        string? cui = null;
        string? preferred = null;
        var names = new List<string>();
        var codes = new List<Coding>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var forms = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            n++;
            if (line.Length == 0)
            {
                continue;
            }

            var f = line.Split('|');
            if (f.Length != Fields + 1 || f[Fields].Length != 0)
            {
                throw ReleaseFileError.At(Kind, name, n, f.Length == Fields && f[^1].Length != 0
                    ? $"field {Fields} is not ended by '|'."
                    : $"{(f[^1].Length == 0 ? f.Length - 1 : f.Length)} fields; expected {Fields}, each ended by '|'.");
            }

            if (f[0].Length < 2 || f[0][0] != 'C' || f[0].AsSpan(1).ContainsAnyExceptInRange('0', '9'))
            {
                throw ReleaseFileError.At(Kind, name, n, "CUI (field 1) is not C followed by digits.");
            }

            if (!string.Equals(f[0], cui, StringComparison.Ordinal))
            {
                foreach (var term in Flush())
                {
                    yield return term;
                }

                cui = f[0];
            }

            if (f[16] is "O" or "E" or "Y")
            {
                continue;
            }

            if (f[13].Length > 0 && f[13] != "NOCODE" && f[13].AsSpan().IndexOfAny(" \t") < 0)
            {
                var coding = new Coding(System(f[11]), f[13]);
                if (!codes.Contains(coding))
                {
                    codes.Add(coding);
                }
            }

            if (!string.Equals(f[1], lat, StringComparison.Ordinal) || (sources is not null && !sources.Contains(f[11])))
            {
                continue;
            }

            names.Add(f[14]);
            if (preferred is null && f[2] == "P" && f[4] == "PF" && f[6] == "Y")
            {
                preferred = f[14];
            }
        }

        foreach (var term in Flush())
        {
            yield return term;
        }

        IEnumerable<TerminologyTerm> Flush()
        {
            if (cui is null || names.Count == 0)
            {
                codes.Clear();
                names.Clear();
                preferred = null;
                return [];
            }

            seen.Clear();
            forms.Clear();
            foreach (var str in names)
            {
                TermForms.Add(str, options.Variants, seen, forms);
            }

            Coding[] all = [new(CodeSystemNames.Umls, cui), .. codes];
            var display = TermForms.Collapse(preferred ?? names[0]);
            var id = "umls:" + cui;
            var terms = new List<TerminologyTerm>(forms.Count);
            foreach (var form in forms)
            {
                terms.Add(new TerminologyTerm(form, id, kind, display, all));
            }

            codes.Clear();
            names.Clear();
            preferred = null;
            return terms;
        }
    }

    private static string System(string sab) => sab switch
    {
        "SNOMEDCT_US" => CodeSystemNames.Snomed,
        "ICD10CM" => CodeSystemNames.Icd10Cm,
        "ICD10" => CodeSystemNames.Icd10,
        "LNC" => CodeSystemNames.Loinc,
        "ATC" => CodeSystemNames.Atc,
        _ => "urn:umls:sab:" + sab,
    };
}
