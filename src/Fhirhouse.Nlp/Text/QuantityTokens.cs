using System.Globalization;

namespace Fhirhouse.Nlp.Text;

/// <summary>
/// The tokens that quantities are read from, made from <see cref="Tokenizer"/>'s: a word that glues letters to digits
/// ("TA150", "FC88", "x2", "q8h", "SpO2") is cut where letters and digits meet, a number keeps a decimal point whatever
/// the text wrote ("38,5" is "38.5"), a thousands group written with one space ("5 000") is one number, and "½ ¼ ¾" are
/// numbers. Spans stay those of the original text. Phrases matched against these tokens are cut the same way.
/// </summary>
internal static class QuantityTokens
{
    public static List<Token> Refine(IReadOnlyList<Token> tokens, string text)
    {
        var refined = new List<Token>(tokens.Count + 8);
        Refine(tokens, 0, tokens.Count, text, refined);
        return refined;
    }

    /// <summary>Adds to <paramref name="into"/> the refined tokens of <paramref name="tokens"/>[<paramref name="from"/>, <paramref name="to"/>).</summary>
    public static void Refine(IReadOnlyList<Token> tokens, int from, int to, string text, List<Token> into)
    {
        for (var k = from; k < to; k++)
        {
            var token = tokens[k];
            switch (token.Kind)
            {
                case TokenKind.Number:
                    k = AddNumber(tokens, k, to, text, into);
                    break;
                case TokenKind.Word when HasDigit(token.Norm):
                    k = Split(tokens, k, to, into);
                    break;
                case TokenKind.Punctuation when token.Norm is "½" or "¼" or "¾":
                    into.Add(token with { Norm = token.Norm switch { "½" => "0.5", "¼" => "0.25", _ => "0.75" }, Kind = TokenKind.Number });
                    break;
                default:
                    into.Add(token);
                    break;
            }
        }
    }

    /// <summary>The letters a word starts with before a digit ("ta" of "ta150"): the first token <see cref="Refine"/> makes of it.</summary>
    public static ReadOnlySpan<char> Lead(in Token token)
    {
        var norm = token.Norm.AsSpan();
        var digit = norm.IndexOfAnyInRange('0', '9');
        return digit < 0 ? norm : norm[..digit];
    }

    /// <summary>The value of a number token of <see cref="Refine"/>; a number too long for a decimal is <see cref="decimal.MaxValue"/>, which no range holds.</summary>
    public static decimal Value(Token token) =>
        decimal.TryParse(token.Norm, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) ? value : decimal.MaxValue;

    private static int AddNumber(IReadOnlyList<Token> tokens, int k, int to, string text, List<Token> refined)
    {
        var token = tokens[k];
        var norm = token.Norm.Replace(',', '.');
        var end = token.End;

        // "5 000", "1 200 000": a lead of one to three digits, then groups of exactly three after a single space.
        if (norm.Length <= 3 && IsDigits(norm))
        {
            while (k + 1 < to && tokens[k + 1] is { Kind: TokenKind.Number } group && group.Norm.Length == 3
                && IsDigits(group.Norm) && group.Start == end + 1 && text[end] is ' ' or '\u00A0' or '\u202F')
            {
                norm += group.Norm;
                end = group.End;
                k++;
            }
        }

        refined.Add(new Token(token.Start, end, norm, TokenKind.Number));
        return k;
    }

    private static int Split(IReadOnlyList<Token> tokens, int k, int to, List<Token> refined)
    {
        var token = tokens[k];
        var norm = token.Norm;
        if (norm.Length != token.End - token.Start)
        {
            // Folding changed the length (a ligature): cut nothing rather than misplace spans.
            refined.Add(token);
            return k;
        }

        var i = 0;
        while (i < norm.Length)
        {
            var start = i;
            var digits = char.IsAsciiDigit(norm[i]);
            while (i < norm.Length && char.IsAsciiDigit(norm[i]) == digits)
            {
                i++;
            }

            var piece = norm[start..i];
            var end = token.Start + i;
            if (digits && i == norm.Length && k + 2 < to && tokens[k + 1].Norm is "," or "." && tokens[k + 1].Start == end
                && tokens[k + 2] is { Kind: TokenKind.Number } fraction && fraction.Start == end + 1 && IsDigits(fraction.Norm))
            {
                // "t38,5": the word ended at the decimal comma.
                refined.Add(new Token(token.Start + start, fraction.End, piece + "." + fraction.Norm, TokenKind.Number));
                return k + 2;
            }

            refined.Add(new Token(token.Start + start, end, piece, digits ? TokenKind.Number : TokenKind.Word));
        }

        return k;
    }

    private static bool HasDigit(string s)
    {
        foreach (var c in s)
        {
            if (char.IsAsciiDigit(c))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsDigits(string s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return s.Length > 0;
    }
}
