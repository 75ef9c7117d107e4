using System.Text;
using Fhirhouse.Nlp.Text;

namespace Fhirhouse.Nlp.Terminology;

/// <summary>
/// The forms of a release file's term that go into a lexicon. A term is kept when it has a word (letters) and at least
/// three characters, or is a two-letter abbreviation in capitals ("DM", "MI"): one-letter terms, pure numbers and
/// codes, and punctuation are left out, since they would match everywhere or nowhere. White space is collapsed. With
/// variants, the forms without parenthesised or bracketed parts and without a trailing "unspecified" marker are added.
/// </summary>
internal static class TermForms
{
    private static readonly string[] s_unspecified =
    [
        ", not otherwise specified", ", unspecified", ", NOS", " NOS", ", sans précision", ", SAI", " SAI",
    ];

    /// <summary>Adds the accepted forms of <paramref name="term"/> not yet in <paramref name="seen"/> (folded) to <paramref name="forms"/>.</summary>
    public static void Add(string term, bool variants, HashSet<string> seen, List<string> forms)
    {
        var clean = Collapse(term);
        Keep(clean, seen, forms);
        if (!variants)
        {
            return;
        }

        var plain = Collapse(WithoutBrackets(clean));
        Keep(plain, seen, forms);
        Keep(WithoutUnspecified(clean), seen, forms);
        Keep(WithoutUnspecified(plain), seen, forms);
    }

    /// <summary>Whether <paramref name="term"/> can be matched usefully (see the type's rule).</summary>
    internal static bool Accepts(string term)
    {
        var tokens = Tokenizer.Tokenize(term);
        var hasWord = false;
        foreach (var token in tokens)
        {
            hasWord |= token.Kind == TokenKind.Word;
        }

        if (!hasWord)
        {
            return false;
        }

        return term.Length >= 3 || (term.Length == 2 && char.IsUpper(term[0]) && char.IsUpper(term[1]));
    }

    private static void Keep(string form, HashSet<string> seen, List<string> forms)
    {
        if (form.Length > 0 && Accepts(form) && seen.Add(Key(form)))
        {
            forms.Add(form);
        }
    }

    /// <summary>The folded tokens of <paramref name="term"/>, as the lexicon's trie sees it.</summary>
    private static string Key(string term) => string.Join(' ', Tokenizer.Tokenize(term).Select(t => t.Norm));

    private static string WithoutUnspecified(string term)
    {
        foreach (var suffix in s_unspecified)
        {
            // "NOS" and "SAI" only in capitals: "nos" is a French word.
            var comparison = suffix.Any(char.IsLower) ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            if (term.Length > suffix.Length && term.EndsWith(suffix, comparison))
            {
                return term[..^suffix.Length].TrimEnd(' ', ',');
            }
        }

        return "";
    }

    private static string WithoutBrackets(string term)
    {
        if (term.AsSpan().IndexOfAny("([") < 0)
        {
            return "";
        }

        var builder = new StringBuilder(term.Length);
        var depth = 0;
        foreach (var c in term)
        {
            if (c is '(' or '[')
            {
                depth++;
            }
            else if (c is ')' or ']' && depth > 0)
            {
                depth--;
            }
            else if (depth == 0)
            {
                builder.Append(c);
            }
        }

        return depth == 0 ? builder.ToString().Replace(" ,", ",", StringComparison.Ordinal) : "";
    }

    /// <summary><paramref name="term"/> trimmed, every run of white space (tabs, line breaks) made one space.</summary>
    internal static string Collapse(string term)
    {
        var builder = new StringBuilder(term.Length);
        var space = false;
        foreach (var c in term)
        {
            if (char.IsWhiteSpace(c))
            {
                space = builder.Length > 0;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
