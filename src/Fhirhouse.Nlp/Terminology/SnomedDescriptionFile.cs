using System.Globalization;
using Fhirhouse.Nlp.Assertion;
using Fhirhouse.Nlp.Lexicon;

namespace Fhirhouse.Nlp.Terminology;

/// <summary>
/// Reads a SNOMED CT RF2 description file (snapshot, or full: the row of a description id with the latest
/// effectiveTime wins, and it must be active). Terms are the fully specified names, without their semantic tag, and the
/// synonyms of the language asked for. The kind comes from the tag of the concept's fully specified name, in any
/// language: disorder, finding, procedure, regime/therapy, substance, product, observable entity (and their French
/// names); a concept with another tag (body structure, organism, qualifier value...) is left out. A concept's display
/// is its fully specified name in the language without the tag, else its first synonym; id <c>sct:44054006</c>.
/// </summary>
/// <remarks>
/// The concept of a synonym is known only at the end of the file (descriptions are sorted by id, not concept), so the
/// reader holds the active descriptions of the language while it reads, then yields the concepts in id order.
/// </remarks>
internal static class SnomedDescriptionFile
{
    private const string Kind = "SNOMED CT description file";
    private const long FullySpecifiedName = 900000000000003001;
    private const long Synonym = 900000000000013009;
    private const sbyte NoKind = -1;
    private const sbyte OtherTag = -2;

    private static readonly string[] s_header = ["id", "effectiveTime", "active", "moduleId", "conceptId", "languageCode", "typeId", "term", "caseSignificanceId"];

    private static readonly Dictionary<string, ConceptKind> s_tags = new(StringComparer.Ordinal)
    {
        ["disorder"] = ConceptKind.Condition,
        ["finding"] = ConceptKind.Finding,
        ["procedure"] = ConceptKind.Procedure,
        ["regime/therapy"] = ConceptKind.Procedure,
        ["substance"] = ConceptKind.Medication,
        ["product"] = ConceptKind.Medication,
        ["medicinal product"] = ConceptKind.Medication,
        ["medicinal product form"] = ConceptKind.Medication,
        ["clinical drug"] = ConceptKind.Medication,
        ["observable entity"] = ConceptKind.Measurement,
        ["trouble"] = ConceptKind.Condition,
        ["constatation"] = ConceptKind.Finding,
        ["intervention"] = ConceptKind.Procedure,
        ["produit"] = ConceptKind.Medication,
        ["produit médicinal"] = ConceptKind.Medication,
        ["entité observable"] = ConceptKind.Measurement,
        ["régime/thérapie"] = ConceptKind.Procedure,
    };

    public static IEnumerable<TerminologyTerm> Read(TextReader reader, string name, Language language, TerminologyOptions options)
    {
        var code = language == Language.French ? "fr" : "en";
        foreach (var term in Concepts(ReadDescriptions(reader, name, code), options))
        {
            yield return term;
        }
    }

    private static Dictionary<long, Description> ReadDescriptions(TextReader reader, string name, string language)
    {
        var header = reader.ReadLine();
        if (header is null || !header.TrimEnd('\r').Split('\t').SequenceEqual(s_header, StringComparer.Ordinal))
        {
            throw ReleaseFileError.At(Kind, name, 1, $"the header is not {string.Join("<TAB>", s_header)}.");
        }

        var descriptions = new Dictionary<long, Description>();
        var n = 1L;
        while (reader.ReadLine() is { } line)
        {
            n++;
            if (line.Length == 0)
            {
                continue;
            }

            var f = line.Split('\t');
            if (f.Length != s_header.Length)
            {
                throw ReleaseFileError.At(Kind, name, n, $"{f.Length} fields; expected the {s_header.Length} of the header.");
            }

            var id = Number(f[0], "id");
            var time = f[1].Length == 8 && int.TryParse(f[1], NumberStyles.None, CultureInfo.InvariantCulture, out var t)
                ? t
                : throw ReleaseFileError.At(Kind, name, n, "effectiveTime is not a date as YYYYMMDD.");
            var active = f[2] switch
            {
                "1" => true,
                "0" => false,
                _ => throw ReleaseFileError.At(Kind, name, n, "active is not 0 or 1."),
            };
            var concept = Number(f[4], "conceptId");
            var type = Number(f[6], "typeId");
            if (descriptions.TryGetValue(id, out var earlier) && earlier.Time > time)
            {
                continue;
            }

            var fsn = type == FullySpecifiedName;
            var inLanguage = string.Equals(f[5], language, StringComparison.Ordinal);
            var wanted = fsn || (type == Synonym && inLanguage);
            if (!active || !wanted)
            {
                // Kept without its term so that it overrides the same description's other rows, whatever their order;
                // a description never wanted needs no place.
                if (wanted || earlier.Time != 0)
                {
                    descriptions[id] = new Description(time, concept, false, false, NoKind, null);
                }

                continue;
            }

            var term = f[7].Trim();
            var kind = NoKind;
            if (fsn)
            {
                (term, var tag) = WithoutTag(term);
                kind = tag is not null && s_tags.TryGetValue(tag, out var k) ? (sbyte)k : OtherTag;
            }

            descriptions[id] = new Description(time, concept, true, fsn, kind, inLanguage ? term : null);
        }

        return descriptions;

        long Number(string field, string column) =>
            long.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw ReleaseFileError.At(Kind, name, n, $"{column} is not a SNOMED CT identifier.");
    }

    private static IEnumerable<TerminologyTerm> Concepts(Dictionary<long, Description> descriptions, TerminologyOptions options)
    {
        var concepts = new Dictionary<long, (sbyte Kind, string? Fsn, List<string> Terms)>();
        foreach (var (_, d) in descriptions.OrderBy(p => p.Key))
        {
            if (!d.Active)
            {
                continue;
            }

            if (!concepts.TryGetValue(d.Concept, out var concept))
            {
                concept = (NoKind, null, []);
            }

            if (d.Fsn && d.Kind != NoKind && concept.Kind is NoKind)
            {
                concept.Kind = d.Kind;
            }

            if (d.Term is { } term)
            {
                if (d.Fsn)
                {
                    concept.Fsn ??= term;
                    concept.Terms.Insert(0, term);
                }
                else
                {
                    concept.Terms.Add(term);
                }
            }

            concepts[d.Concept] = concept;
        }

        descriptions.Clear();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var forms = new List<string>();
        foreach (var (id, (tag, fsn, terms)) in concepts.OrderBy(p => p.Key))
        {
            ConceptKind kind;
            if (tag >= 0)
            {
                kind = (ConceptKind)tag;
            }
            else if (tag == NoKind && options.DefaultKind is { } fallback)
            {
                kind = fallback;
            }
            else
            {
                continue;
            }

            if (terms.Count == 0)
            {
                continue;
            }

            var sctid = id.ToString(CultureInfo.InvariantCulture);
            var display = TermForms.Collapse(fsn ?? terms[0]);
            seen.Clear();
            forms.Clear();
            foreach (var term in terms)
            {
                TermForms.Add(term, options.Variants, seen, forms);
            }

            Coding[] codes = [new(CodeSystemNames.Snomed, sctid)];
            foreach (var form in forms)
            {
                yield return new TerminologyTerm(form, "sct:" + sctid, kind, display, codes);
            }
        }
    }

    /// <summary>"Diabetes mellitus type 2 (disorder)" is ("Diabetes mellitus type 2", "disorder").</summary>
    internal static (string Term, string? Tag) WithoutTag(string fsn)
    {
        var open = fsn.LastIndexOf(" (", StringComparison.Ordinal);
        return fsn.EndsWith(')') && open > 0 ? (fsn[..open].TrimEnd(), fsn[(open + 2)..^1]) : (fsn, null);
    }

    private readonly record struct Description(int Time, long Concept, bool Active, bool Fsn, sbyte Kind, string? Term);
}
