using Fhirhouse.Nlp.Assertion;

namespace Fhirhouse.Nlp.Text;

/// <summary>The part of a clinical note a sentence belongs to, as its heading says.</summary>
public enum SectionKind
{
    /// <summary>Before any heading, or under a heading that is not one of these.</summary>
    None,
    ChiefComplaint,
    PresentIllness,
    PastHistory,
    FamilyHistory,
    SocialHistory,
    Allergies,
    Medications,
    Examination,
    Results,
    Assessment,
    Plan,
}

/// <summary>A section of a text: its kind, the heading as written, and the span it covers (heading included) up to the next heading.</summary>
public sealed record Section(SectionKind Kind, string Heading, int Start, int End);

/// <summary>
/// Finds the sections of a note from its headings. A heading starts a line and is either the whole line ("ANTÉCÉDENTS",
/// "Past medical history:") or the words before a colon ("ATCD : HTA, DT2", "FH: father MI at 50"); it counts when its
/// folded words are one of the language's headings below. A section runs from its heading to the next one.
/// </summary>
public static class Sections
{
    private const int MaxHeadingWords = 6;

    private static readonly Dictionary<string, SectionKind> s_french = Table(
        (SectionKind.ChiefComplaint, ["motif", "motif de consultation", "motif d'hospitalisation", "motif de consultation aux urgences", "motif d'admission", "motif de recours"]),
        (SectionKind.PresentIllness, ["histoire de la maladie", "hdm", "anamnese", "histoire de la maladie actuelle", "evolution", "evolution dans le service"]),
        (SectionKind.PastHistory, ["antecedents", "atcd", "atcds", "antecedents medicaux", "antecedents personnels", "antecedents medico-chirurgicaux", "antecedents chirurgicaux", "atcd medicaux", "atcd personnels", "atcd chirurgicaux", "antecedents medicaux et chirurgicaux"]),
        (SectionKind.FamilyHistory, ["antecedents familiaux", "atcd familiaux", "atcd fam", "antecedents familiaux notables"]),
        (SectionKind.SocialHistory, ["mode de vie", "habitus", "contexte social", "facteurs de risque", "frcv", "facteurs de risque cardiovasculaire"]),
        (SectionKind.Allergies, ["allergies", "allergie"]),
        (SectionKind.Medications, ["traitement", "traitements", "traitement habituel", "traitement actuel", "traitement en cours", "traitement de sortie", "ordonnance", "traitement a domicile"]),
        (SectionKind.Examination, ["examen clinique", "examen", "examen physique", "a l'examen", "examen a l'entree", "examen neurologique", "constantes"]),
        (SectionKind.Results, ["examens complementaires", "biologie", "bilan biologique", "resultats", "imagerie", "ecg", "radiographie"]),
        (SectionKind.Assessment, ["conclusion", "synthese", "diagnostic", "diagnostics", "au total", "hypotheses diagnostiques", "diagnostic retenu", "diagnostic de sortie"]),
        (SectionKind.Plan, ["conduite a tenir", "cat", "plan", "projet", "projet therapeutique", "suivi", "prise en charge", "recommandations", "consignes"]));

    private static readonly Dictionary<string, SectionKind> s_english = Table(
        (SectionKind.ChiefComplaint, ["chief complaint", "cc", "reason for visit", "reason for admission", "presenting complaint", "reason for consultation"]),
        (SectionKind.PresentIllness, ["history of present illness", "hpi", "history of the present illness", "present illness", "hospital course", "interval history"]),
        (SectionKind.PastHistory, ["past medical history", "pmh", "pmhx", "medical history", "past history", "past surgical history", "psh", "history", "past medical and surgical history", "problem list"]),
        (SectionKind.FamilyHistory, ["family history", "fh", "fhx", "family hx", "family medical history"]),
        (SectionKind.SocialHistory, ["social history", "sh", "shx", "social hx", "lifestyle"]),
        (SectionKind.Allergies, ["allergies", "allergy", "nkda"]),
        (SectionKind.Medications, ["medications", "meds", "current medications", "home medications", "medications on admission", "discharge medications", "outpatient medications", "medication list"]),
        (SectionKind.Examination, ["physical examination", "physical exam", "exam", "examination", "pe", "vital signs", "vitals", "on examination"]),
        (SectionKind.Results, ["results", "labs", "laboratory", "investigations", "imaging", "laboratory results", "pertinent results", "studies", "ecg"]),
        (SectionKind.Assessment, ["assessment", "impression", "diagnosis", "diagnoses", "final diagnosis", "discharge diagnosis", "conclusion", "summary", "assessment and plan", "a/p", "a&p"]),
        (SectionKind.Plan, ["plan", "recommendations", "follow-up", "follow up", "disposition", "discharge instructions"]));

    /// <summary>The sections of <paramref name="text"/> in order; the text before the first heading is not a section.</summary>
    public static IReadOnlyList<Section> Find(string text, Language language)
    {
        ArgumentNullException.ThrowIfNull(text);
        var headings = language == Language.French ? s_french : s_english;
        var found = new List<Section>();
        var lineStart = 0;
        while (lineStart < text.Length)
        {
            var lineEnd = text.IndexOf('\n', lineStart);
            lineEnd = lineEnd < 0 ? text.Length : lineEnd;
            if (HeadingOf(text.AsSpan(lineStart, lineEnd - lineStart), headings) is { } heading)
            {
                if (found.Count > 0)
                {
                    found[^1] = found[^1] with { End = lineStart };
                }

                found.Add(new Section(heading.Kind, heading.Text, lineStart, text.Length));
            }

            lineStart = lineEnd + 1;
        }

        return found;
    }

    /// <summary>The section <paramref name="position"/> is in (null: before any heading).</summary>
    public static Section? At(IReadOnlyList<Section> sections, int position)
    {
        ArgumentNullException.ThrowIfNull(sections);
        for (var i = sections.Count - 1; i >= 0; i--)
        {
            if (sections[i].Start <= position)
            {
                return position < sections[i].End ? sections[i] : null;
            }
        }

        return null;
    }

    private static (SectionKind Kind, string Text)? HeadingOf(ReadOnlySpan<char> line, Dictionary<string, SectionKind> headings)
    {
        var trimmed = line.Trim().TrimStart("#*-•".AsSpan()).Trim();
        var colon = trimmed.IndexOf(':');
        var candidate = colon >= 0 ? trimmed[..colon] : trimmed.TrimEnd(".".AsSpan());
        if (candidate.Length == 0 || candidate.Length > 60)
        {
            return null;
        }

        var words = Words(candidate);
        if (words.Count == 0 || words.Count > MaxHeadingWords)
        {
            return null;
        }

        // A line without a colon is a heading only when it holds nothing but the heading ("Plan" alone, not "Plan to
        // start metformin"), which the table lookup of all its words already ensures.
        return headings.TryGetValue(string.Join(' ', words), out var kind) ? (kind, candidate.Trim().ToString()) : null;
    }

    private static List<string> Words(ReadOnlySpan<char> text)
    {
        var words = new List<string>();
        foreach (var token in Tokenizer.Tokenize(text.ToString()))
        {
            if (token.Kind != TokenKind.Punctuation || token.Norm is "/" or "&")
            {
                words.Add(token.Norm);
            }
        }

        // "a/p" and "a&p" come out as three tokens: join those back.
        for (var i = words.Count - 2; i > 0; i--)
        {
            if (words[i] is "/" or "&")
            {
                words[i - 1] = words[i - 1] + words[i] + words[i + 1];
                words.RemoveRange(i, 2);
            }
        }

        return words;
    }

    private static Dictionary<string, SectionKind> Table(params (SectionKind Kind, string[] Headings)[] entries)
    {
        var table = new Dictionary<string, SectionKind>(StringComparer.Ordinal);
        foreach (var (kind, names) in entries)
        {
            foreach (var name in names)
            {
                table[string.Join(' ', Words(name))] = kind;
            }
        }

        return table;
    }
}
