using System.Globalization;
using System.Text;

namespace Fhirhouse.Nlp.Text;

/// <summary>
/// The normal form rules and lexicons match: lower case, accents removed (é → e, ç → c), ligatures expanded
/// (œ → oe, æ → ae), typographic apostrophes and dashes made plain. Folding never changes where a token is in the text:
/// it is applied to each token's own characters.
/// </summary>
public static class TextFolding
{
    private const char First = '\u00C0';

    /// <summary>
    /// U+00C0 to U+017F (Latin-1 Supplement letters and Latin Extended-A) folded to lower-case ASCII, generated from
    /// Unicode's canonical decompositions: a table of our own, since the processes run with invariant globalization
    /// (no ICU, so <c>string.Normalize</c> does not decompose). Combining marks elsewhere are dropped.
    /// </summary>
    private static readonly string[] s_latin =
    [
        "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
        "d", "n", "o", "o", "o", "o", "o", "×", "o", "u", "u", "u", "u", "y", "th", "ss",
        "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",
        "d", "n", "o", "o", "o", "o", "o", "÷", "o", "u", "u", "u", "u", "y", "th", "y",
        "a", "a", "a", "a", "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d", "d",
        "d", "d", "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g",
        "g", "g", "g", "g", "h", "h", "h", "h", "i", "i", "i", "i", "i", "i", "i", "i",
        "i", "i", "ij", "ij", "j", "j", "k", "k", "k", "l", "l", "l", "l", "l", "l", "l",
        "l", "l", "l", "n", "n", "n", "n", "n", "n", "n", "n", "n", "o", "o", "o", "o",
        "o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s",
        "s", "s", "t", "t", "t", "t", "t", "t", "u", "u", "u", "u", "u", "u", "u", "u",
        "u", "u", "u", "u", "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s",
    ];

    /// <summary>The folded form of <paramref name="text"/>.</summary>
    public static string Fold(ReadOnlySpan<char> text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            switch (c)
            {
                case 'œ' or 'Œ':
                    builder.Append("oe");
                    continue;
                case 'æ' or 'Æ':
                    builder.Append("ae");
                    continue;
                case 'ß':
                    builder.Append("ss");
                    continue;
                case '\u2019' or '\u2018' or '\u02BC' or '`' or '\u00B4':
                    builder.Append('\'');
                    continue;
                case '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014':
                    builder.Append('-');
                    continue;
            }

            if (c < 128)
            {
                builder.Append(char.ToLowerInvariant(c));
            }
            else if (c is >= First and < (char)(First + 0xC0))
            {
                builder.Append(s_latin[c - First]);
            }
            else if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.ToString();
    }
}
