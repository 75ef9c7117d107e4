using Fhirhouse.Nlp.Assertion;
using Fhirhouse.Nlp.Lexicon;
using Fhirhouse.Nlp.Text;

namespace Fhirhouse.Nlp;

/// <summary>A concept mentioned in a text, where, as written, and its assertion.</summary>
public sealed record Mention(Concept Concept, int Start, int End, string Text, bool Fuzzy, MentionAssertion Assertion);

/// <summary>
/// The engine over a whole text: language (given, or guessed from the text's function words), sentences, concepts of that
/// language's lexicon, and the assertion of each. Stateless once built; one instance serves many texts and threads.
/// </summary>
public sealed class Annotator
{
    private readonly Dictionary<Language, (ConceptLexicon Lexicon, AssertionEngine Engine)> _languages;

    public Annotator(IReadOnlyDictionary<Language, (ConceptLexicon Lexicon, AssertionEngine Engine)> languages)
    {
        ArgumentNullException.ThrowIfNull(languages);
        _languages = new(languages);
    }

    /// <summary>The shipped lexicons and rules of both languages.</summary>
    public static Annotator Shipped() => new(new Dictionary<Language, (ConceptLexicon, AssertionEngine)>
    {
        [Language.English] = (ConceptLexicon.Shipped(Language.English), AssertionEngine.Shipped(Language.English)),
        [Language.French] = (ConceptLexicon.Shipped(Language.French), AssertionEngine.Shipped(Language.French)),
    });

    /// <summary>The versions that decide what is found: each language's lexicon and rules.</summary>
    public string Versions => string.Join("; ", _languages.OrderBy(l => l.Key).Select(l => $"{l.Value.Lexicon.Version}, rules {l.Value.Engine.Rules.Name} ({l.Value.Engine.Rules.Rules.Count})"));

    /// <summary>
    /// The mentions of <paramref name="text"/>, in text order, and the language they were read in: the one given, else the
    /// one its function words say, else the one whose lexicon recognises more of it.
    /// </summary>
    public (IReadOnlyList<Mention> Mentions, Language Language) Annotate(string text, Language? language = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sentences = SentenceSplitter.Split(text);
        if ((language ?? LanguageGuess.Guess(sentences.SelectMany(s => s.Tokens).ToList())) is { } known)
        {
            return (Annotate(text, sentences, known), known);
        }

        // No function word to tell ("TA 150/95 mmHg"): the language whose lexicon recognises more of it.
        var english = Annotate(text, sentences, Language.English);
        var french = Annotate(text, sentences, Language.French);
        return french.Count > english.Count ? (french, Language.French) : (english, Language.English);
    }

    private List<Mention> Annotate(string text, List<Sentence> sentences, Language chosen)
    {
        var (lexicon, engine) = _languages[chosen];
        var mentions = new List<Mention>();
        foreach (var sentence in sentences)
        {
            var found = lexicon.Find(sentence.Tokens, text);
            if (found.Count == 0)
            {
                continue;
            }

            var matches = engine.Rules.Match(sentence.Tokens);
            foreach (var match in found)
            {
                mentions.Add(new Mention(match.Concept, match.Start, match.End, match.Text, match.Fuzzy,
                    AssertionEngine.Assert(sentence.Tokens, matches, match.FirstToken, match.LastToken)));
            }
        }

        return mentions;
    }
}
