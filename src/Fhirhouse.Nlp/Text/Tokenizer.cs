namespace Fhirhouse.Nlp.Text;

/// <summary>
/// Splits text into tokens that keep their place in the original: words (letters and digits, inner hyphens as in
/// "non-fumeur", English contractions as in "doesn't"; a French elision such as "d'" or "l'" is a token of its own), numbers
/// (with a decimal comma or point: "38,5", "7.2"), and every other visible character as punctuation.
/// </summary>
public static class Tokenizer
{
    private static readonly HashSet<string> s_elisions = new(StringComparer.Ordinal)
    {
        "d", "l", "j", "n", "s", "m", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu",
    };

    /// <summary>The tokens of <paramref name="text"/>, in order.</summary>
    public static List<Token> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            if (char.IsDigit(c))
            {
                var start = i;
                while (i < text.Length && char.IsDigit(text[i]))
                {
                    i++;
                }

                if (i + 1 < text.Length && text[i] is ',' or '.' && char.IsDigit(text[i + 1]))
                {
                    i++;
                    while (i < text.Length && char.IsDigit(text[i]))
                    {
                        i++;
                    }
                }

                tokens.Add(new Token(start, i, text[start..i], TokenKind.Number));
                continue;
            }

            if (char.IsLetter(c))
            {
                var start = i;
                while (i < text.Length)
                {
                    if (char.IsLetterOrDigit(text[i]))
                    {
                        i++;
                    }
                    else if (text[i] is '-' or '\u2010' or '\u2011' && i + 1 < text.Length && char.IsLetter(text[i + 1]))
                    {
                        i++;
                    }
                    else if (IsApostrophe(text[i]) && i + 1 < text.Length && char.IsLetter(text[i + 1]))
                    {
                        var before = TextFolding.Fold(text.AsSpan(start, i - start));
                        if (s_elisions.Contains(before))
                        {
                            // French elision: "d'embolie" is "d'" then "embolie".
                            i++;
                            break;
                        }

                        i++;
                    }
                    else
                    {
                        break;
                    }
                }

                tokens.Add(new Token(start, i, TextFolding.Fold(text.AsSpan(start, i - start)), TokenKind.Word));
                continue;
            }

            tokens.Add(new Token(i, i + 1, TextFolding.Fold(text.AsSpan(i, 1)), TokenKind.Punctuation));
            i++;
        }

        return tokens;
    }

    private static bool IsApostrophe(char c) => c is '\'' or '\u2019' or '\u02BC';
}
