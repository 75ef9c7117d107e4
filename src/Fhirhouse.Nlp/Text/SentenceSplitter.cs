namespace Fhirhouse.Nlp.Text;

/// <summary>
/// Cuts a text into sentences: at '.', '!' and '?' (not after a known abbreviation, a single-letter initial or inside a
/// number), at a blank line, and at a line break that starts a list item or a new line of a form ("- ", "* ", "1)",
/// a capital letter after a line that did not end with a comma).
/// </summary>
public static class SentenceSplitter
{
    private static readonly HashSet<string> s_abbreviations = new(StringComparer.Ordinal)
    {
        "dr", "pr", "mr", "mrs", "ms", "mme", "mlle", "m", "st", "vs", "cf", "env", "approx", "p.ex", "ex", "etc", "no", "n", "fig",
        "e.g", "i.e", "resp", "sem", "inj", "cp", "cps", "gel", "amp", "sol", "susp", "jr", "sr", "dept", "hosp",
    };

    /// <summary>The sentences of <paramref name="text"/>.</summary>
    public static List<Sentence> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = Tokenizer.Tokenize(text);
        var sentences = new List<Sentence>();
        var current = new List<Token>();
        for (var k = 0; k < tokens.Count; k++)
        {
            var token = tokens[k];
            if (current.Count > 0 && StartsNewLine(text, current[^1], token))
            {
                Flush();
            }

            current.Add(token);
            if (token.Kind == TokenKind.Punctuation && token.Norm is "." or "!" or "?" && !IsAbbreviationDot(current))
            {
                // "?" inside a sentence ("EP ?") ends it too: what follows is another statement.
                Flush();
            }
        }

        Flush();
        return sentences;

        void Flush()
        {
            if (current.Count > 0)
            {
                sentences.Add(new Sentence(current[0].Start, current[^1].End, current.ToArray()));
                current.Clear();
            }
        }
    }

    private static bool IsAbbreviationDot(List<Token> current)
    {
        if (current.Count < 2 || current[^1].Norm != ".")
        {
            return false;
        }

        var before = current[^2];
        return before.End == current[^1].Start && before.Kind == TokenKind.Word
            && (s_abbreviations.Contains(before.Norm) || (before.Norm.Length == 1 && char.IsLetter(before.Norm[0])));
    }

    private static bool StartsNewLine(string text, Token previous, Token next)
    {
        var gap = text.AsSpan(previous.End, next.Start - previous.End);
        var breaks = gap.Count('\n');
        if (breaks == 0)
        {
            return false;
        }

        if (breaks > 1)
        {
            return true;
        }

        return next.Norm is "-" or "*" or "\u2022" || next.Kind == TokenKind.Number || (char.IsUpper(text[next.Start]) && previous.Norm != ",");
    }
}
