using Fhirhouse.Nlp.Assertion;
using Fhirhouse.Nlp.Lexicon;
using Fhirhouse.Nlp.Terminology;

namespace Fhirhouse.Nlp.Tests.Terminology;

/// <summary>An imported lexicon put behind the annotator, as a hospital's deployment does.</summary>
internal sealed class ImportedLexicon
{
    private readonly Annotator _annotator;
    private readonly Language _language;

    public ImportedLexicon(IEnumerable<TerminologyTerm> terms, Language language)
    {
        Lexicon = ConceptLexicon.Build("imported", terms);
        _language = language;
        _annotator = new Annotator(new Dictionary<Language, (ConceptLexicon, AssertionEngine)>
        {
            [language] = (Lexicon, AssertionEngine.Shipped(language)),
        });
    }

    public ConceptLexicon Lexicon { get; }

    /// <summary>The mentions of <paramref name="text"/>, by concept id.</summary>
    public IReadOnlyList<Mention> Annotate(string text) => _annotator.Annotate(text, _language).Mentions;

    public Mention Only(string text, string conceptId) => Assert.Single(Annotate(text), m => m.Concept.Id == conceptId);

    public string[] Ids(string text) => Annotate(text).Select(m => m.Concept.Id).ToArray();
}
