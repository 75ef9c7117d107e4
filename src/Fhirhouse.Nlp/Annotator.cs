using Fhirhouse.Nlp.Assertion;
using Fhirhouse.Nlp.Lexicon;
using Fhirhouse.Nlp.Measurements;
using Fhirhouse.Nlp.Medications;
using Fhirhouse.Nlp.Text;

namespace Fhirhouse.Nlp;

/// <summary>
/// A concept mentioned in a text, where, as written, its assertion, the section it is in and, for another person's
/// mention, the relative named.
/// </summary>
public sealed record Mention(Concept Concept, int Start, int End, string Text, bool Fuzzy, MentionAssertion Assertion, SectionKind Section = SectionKind.None, Relative? Relative = null);

/// <summary>What the engine read in a text: its language, the concepts mentioned, the measurements and the drugs' dosages.</summary>
public sealed record TextReading(Language Language, IReadOnlyList<Mention> Mentions, IReadOnlyList<MeasurementMention> Measurements, IReadOnlyList<MedicationMention> Medications);

/// <summary>
/// The engine over a whole text: language (given, or guessed from the text's function words), sentences, sections,
/// concepts of that language's lexicon, and the assertion of each. The rules decide first; then what they left recent and
/// the patient's, the note's structure completes: under a family-history heading the experiencer is another person
/// (rule id <c>section:FamilyHistory</c>), and under a past-history heading or dated years before the note was written
/// (a year before <paramref name="writtenYear"/> in the sentence: <c>date:2019</c>) the mention is historical unless the
/// sentence says it goes on ("depuis 2015", "known", "on treatment", "sous"). Stateless once built; one instance serves
/// many texts and threads.
/// </summary>
public sealed class Annotator
{
    private static readonly HashSet<string> s_ongoing = new(
        ["depuis", "connu", "connue", "connus", "connues", "traite", "traitee", "traites", "traitees", "sous", "chronique", "equilibre", "equilibree", "actuellement",
         "since", "known", "treated", "treatment", "chronic", "controlled", "ongoing", "currently", "stable", "managed"], StringComparer.Ordinal);

    private static readonly HashSet<string> s_family = new(["famille", "familial", "familiaux", "familiale", "family"], StringComparer.Ordinal);

    private readonly Dictionary<Language, (ConceptLexicon Lexicon, AssertionEngine Engine)> _languages;
    private readonly Dictionary<Language, (MeasurementExtractor Measurements, MedicationExtractor Medications)> _extractors;

    public Annotator(IReadOnlyDictionary<Language, (ConceptLexicon Lexicon, AssertionEngine Engine)> languages)
    {
        ArgumentNullException.ThrowIfNull(languages);
        _languages = new(languages);
        _extractors = _languages.ToDictionary(l => l.Key, l => (MeasurementExtractor.Shipped(l.Key), MedicationExtractor.Shipped(l.Value.Lexicon)));
    }

    /// <summary>The shipped lexicons and rules of both languages.</summary>
    public static Annotator Shipped() => new(new Dictionary<Language, (ConceptLexicon, AssertionEngine)>
    {
        [Language.English] = (ConceptLexicon.Shipped(Language.English), AssertionEngine.Shipped(Language.English)),
        [Language.French] = (ConceptLexicon.Shipped(Language.French), AssertionEngine.Shipped(Language.French)),
    });

    /// <summary>
    /// The revision of the engine's code that decides what is found (tokens, matching, assertion, values). Raised by hand
    /// when a change of the code changes what is found, so that <c>nlp annotate</c> re-annotates the lake.
    /// </summary>
    public const int EngineRevision = 3;

    /// <summary>
    /// What decides what is found, in one short id: the engine's revision and the digests of each language's lexicon and
    /// rules (<c>nlp-r1-3f2a...</c>). Annotations made under another fingerprint are superseded by <c>nlp annotate</c>.
    /// </summary>
    public string Fingerprint => $"nlp-r{EngineRevision}-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
        string.Join(";", _languages.OrderBy(l => l.Key).Select(l => $"{l.Key}:{l.Value.Lexicon.Digest}:{l.Value.Engine.Rules.Digest}")))))[..12];

    /// <summary>The versions that decide what is found: each language's lexicon and rules.</summary>
    public string Versions => string.Join("; ", _languages.OrderBy(l => l.Key).Select(l => $"{l.Value.Lexicon.Version}, rules {l.Value.Engine.Rules.Name} ({l.Value.Engine.Rules.Rules.Count})"));

    /// <summary>
    /// The mentions of <paramref name="text"/>, in text order, and the language they were read in: the one given, else the
    /// one its function words say, else the one whose lexicon recognises more of it.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="language">Its language, or null to guess it.</param>
    /// <param name="writtenYear">The year the text was written, when known: years before it date a mention in the past.</param>
    public (IReadOnlyList<Mention> Mentions, Language Language) Annotate(string text, Language? language = null, int? writtenYear = null)
    {
        var reading = Read(text, language, writtenYear, values: false);
        return (reading.Mentions, reading.Language);
    }

    /// <summary>
    /// The mentions of <paramref name="text"/> (see <see cref="Annotate"/>), and the values it gives: measurements with
    /// their LOINC code and UCUM unit, and the dosage of each drug mentioned.
    /// </summary>
    public TextReading Read(string text, Language? language = null, int? writtenYear = null) => Read(text, language, writtenYear, values: true);

    private TextReading Read(string text, Language? language, int? writtenYear, bool values)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sentences = SentenceSplitter.Split(text);
        if ((language ?? LanguageGuess.Guess(sentences.SelectMany(s => s.Tokens).ToList())) is { } known)
        {
            return Read(text, sentences, known, writtenYear, values);
        }

        // No function word to tell ("TA 150/95 mmHg"): the language whose lexicon recognises more of it.
        var english = Read(text, sentences, Language.English, writtenYear, values);
        var french = Read(text, sentences, Language.French, writtenYear, values);
        return french.Mentions.Count > english.Mentions.Count ? french : english;
    }

    private TextReading Read(string text, List<Sentence> sentences, Language chosen, int? writtenYear, bool values)
    {
        var (measurements, medications) = (new List<MeasurementMention>(), new List<MedicationMention>());
        var mentions = Annotate(text, sentences, chosen, writtenYear, values ? (measurements, medications) : null);
        if (mentions.Count > 0 && Dialogue.Questions(text) is { Count: > 0 } questions)
        {
            mentions = [.. mentions.Select(m => Answered(m, mentions, questions, writtenYear))];
        }

        return new TextReading(chosen, mentions, measurements, medications);
    }

    private List<Mention> Annotate(string text, List<Sentence> sentences, Language chosen, int? writtenYear, (List<MeasurementMention> Measurements, List<MedicationMention> Medications)? values)
    {
        var (lexicon, engine) = _languages[chosen];
        var sections = Sections.Find(text, chosen);
        var mentions = new List<Mention>();
        foreach (var sentence in sentences)
        {
            var found = lexicon.Find(sentence.Tokens, text);
            if (values is var (measured, dosed))
            {
                var (measurements, medications) = _extractors[chosen];
                measured.AddRange(measurements.Extract(sentence.Tokens, text));
                if (found.Count > 0)
                {
                    dosed.AddRange(medications.Extract(sentence.Tokens, text, found));
                }
            }

            if (found.Count == 0)
            {
                continue;
            }

            var section = Sections.At(sections, sentence.Start)?.Kind ?? SectionKind.None;
            var matches = engine.Rules.Match(sentence.Tokens);
            foreach (var match in found)
            {
                var assertion = Complete(AssertionEngine.Assert(sentence.Tokens, matches, match.FirstToken, match.LastToken), match.Concept, sentence.Tokens, section, writtenYear);
                var relative = assertion.Experiencer == Experiencer.Other
                    ? Relatives.Nearest(sentence.Tokens, match.FirstToken, match.LastToken) ?? (section == SectionKind.FamilyHistory || Names(sentence.Tokens, s_family) ? Relatives.FamilyMember : null)
                    : null;
                mentions.Add(new Mention(match.Concept, match.Start, match.End, match.Text, match.Fuzzy, assertion, section, relative));
            }
        }

        return mentions;
    }

    private static readonly HashSet<string> s_ever = new(["ever", "before", "previously", "deja", "auparavant", "passe"], StringComparer.Ordinal);

    /// <summary>
    /// A mention in a transcript's question ("Do you have a headache?") takes its negation from the patient's answer
    /// (yes, no, unsure; rule <c>dialogue:no</c>...), and is historical when the answer is yes and it gives a year
    /// before the text was written or the question asks "ever" / "déjà", unless the condition is chronic or goes on.
    /// </summary>
    private static Mention Answered(Mention mention, List<Mention> mentions, IReadOnlyList<DialogueQuestion> questions, int? writtenYear)
    {
        var asked = questions.FirstOrDefault(q => q.Start <= mention.Start && mention.End <= q.End);
        var others = asked is null ? [] : mentions.Where(m => m != mention && asked.Start <= m.Start && m.End <= asked.End).Select(m => m.Text);
        if (Dialogue.AnswerTo(questions, mention.Start, mention.End, mention.Text, others) is not var (question, answer))
        {
            return mention;
        }

        var negation = answer switch
        {
            DialogueAnswer.No => Negation.Negated,
            DialogueAnswer.Unsure => Negation.Possible,
            _ => Negation.Affirmed,
        };
        var answerWords = Tokenizer.Tokenize(question.AnswerText);
        var past = answer == DialogueAnswer.Yes && mention.Assertion.Experiencer == Experiencer.Patient && !IsChronic(mention.Concept) && !Names(answerWords, s_ongoing)
            && (Names(Tokenizer.Tokenize(question.Question), s_ever)
                || (writtenYear is { } year && answerWords.Any(t => t.Kind == TokenKind.Number && t.Norm.Length == 4 && t.Number is { } y && y >= 1900 && y < year)));
        var assertion = mention.Assertion with
        {
            Negation = negation,
            Temporality = past ? Temporality.Historical : Temporality.Recent,
            Rules = [.. mention.Assertion.Rules, "dialogue:" + answer.ToString().ToLowerInvariant()],
        };
        return mention with { Assertion = assertion };
    }

    private static MentionAssertion Complete(MentionAssertion assertion, Concept concept, IReadOnlyList<Token> tokens, SectionKind section, int? writtenYear)
    {
        // A relative's condition has no place on the patient's timeline: "antécédents familiaux de diabète" is not a past diabetes.
        if (assertion.Experiencer == Experiencer.Other && assertion.Temporality == Temporality.Historical)
        {
            return assertion with { Temporality = Temporality.Recent };
        }

        if (assertion.Experiencer != Experiencer.Patient || assertion.Temporality != Temporality.Recent)
        {
            return assertion;
        }

        if (section == SectionKind.FamilyHistory)
        {
            return assertion with { Experiencer = Experiencer.Other, Rules = [.. assertion.Rules, "section:FamilyHistory"] };
        }

        // A chronic disease listed under past history or with the year it was found ("HTA (2019)") is still the patient's.
        if (Names(tokens, s_ongoing) || IsChronic(concept))
        {
            return assertion;
        }

        if (section == SectionKind.PastHistory)
        {
            return assertion with { Temporality = Temporality.Historical, Rules = [.. assertion.Rules, "section:PastHistory"] };
        }

        if (writtenYear is { } year && tokens.FirstOrDefault(t => t.Kind == TokenKind.Number && t.Norm.Length == 4 && t.Number is { } y && y >= 1900 && y < year) is { Norm: not null } dated)
        {
            return assertion with { Temporality = Temporality.Historical, Rules = [.. assertion.Rules, "date:" + dated.Norm] };
        }

        return assertion;
    }

    /// <summary>
    /// The ICD-10 categories of chronic diseases, which a note's past history lists as the patient's standing problems
    /// (hypertension, diabetes, asthma...), unlike the events and acute illnesses it lists as past (appendicitis,
    /// myocardial infarction, pneumonia). A concept is chronic when one of its ICD-10 codes falls in one.
    /// </summary>
    private static readonly HashSet<string> s_chronicIcd10 = new(
        ["E03", "E05", "E10", "E11", "E12", "E13", "E14", "E66", "E78", "F20", "F31", "F32", "F33", "F41", "G20", "G30", "G35", "G40", "G43",
         "I10", "I11", "I12", "I13", "I15", "I25", "I48", "I50", "J44", "J45", "K50", "K51", "M05", "M06", "M15", "M16", "M17", "M19", "M81",
         "N18", "B18", "B20", "D50", "L40", "E84"], StringComparer.Ordinal);

    /// <summary>Whether the concept is a chronic disease (<see cref="s_chronicIcd10"/>).</summary>
    public static bool IsChronic(Concept concept)
    {
        ArgumentNullException.ThrowIfNull(concept);
        foreach (var coding in concept.Codes)
        {
            if (coding.System is CodeSystemNames.Icd10 or CodeSystemNames.Icd10Cm && coding.Code.Length >= 3
                && s_chronicIcd10.Contains(coding.Code[..3].ToUpperInvariant()))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Names(IReadOnlyList<Token> tokens, HashSet<string> words)
    {
        foreach (var token in tokens)
        {
            if (words.Contains(token.Norm))
            {
                return true;
            }
        }

        return false;
    }
}
