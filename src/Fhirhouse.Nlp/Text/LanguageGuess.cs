using Fhirhouse.Nlp.Assertion;

namespace Fhirhouse.Nlp.Text;

/// <summary>
/// French or English from the function words of a text (folded tokens): "de, le, la, pas, sans, avec, est..." against
/// "the, of, and, with, no, is, was...". Null when neither side has more (too short or no function word).
/// </summary>
public static class LanguageGuess
{
    private static readonly HashSet<string> s_french = new(StringComparer.Ordinal)
    {
        "de", "d'", "le", "la", "les", "l'", "des", "du", "un", "une", "et", "est", "pas", "sans", "avec", "pour", "sur", "dans",
        "au", "aux", "qui", "que", "qu'", "ne", "n'", "il", "elle", "je", "j'", "ai", "a", "en", "ce", "cette", "chez", "depuis",
        "patient", "patiente", "mais", "ou", "ni", "aucun", "aucune", "non", "y", "se", "sa", "son", "ses", "ete", "tres",
    };

    private static readonly HashSet<string> s_english = new(StringComparer.Ordinal)
    {
        "the", "of", "and", "with", "no", "is", "was", "for", "to", "in", "on", "at", "has", "had", "have", "denies", "without",
        "he", "she", "his", "her", "i", "my", "not", "but", "or", "any", "an", "this", "that", "from", "by", "be", "are", "were",
        "since", "there", "which", "who", "does", "did", "don't", "doesn't", "it", "as", "we", "you",
    };

    public static Language? Guess(IReadOnlyList<Token> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        int french = 0, english = 0;
        foreach (var token in tokens)
        {
            french += s_french.Contains(token.Norm) ? 1 : 0;
            english += s_english.Contains(token.Norm) ? 1 : 0;
        }

        return french > english ? Language.French : english > french ? Language.English : null;
    }
}
