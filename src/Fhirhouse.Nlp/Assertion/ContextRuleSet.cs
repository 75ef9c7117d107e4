using System.Globalization;
using Fhirhouse.Nlp.Text;

namespace Fhirhouse.Nlp.Assertion;

/// <summary>
/// A ConText rule file in the FastContext format, one rule a line: <c>phrase|direction|kind|modifier|window</c>
/// (<c>forward|backward|both</c>; <c>trigger|pseudo|termination</c>; <c>negated|uncertain|historical|hypothetical|conditional|nonpatient</c>;
/// window in tokens, default 10). In the phrase, <c>\w+</c> is any one word and <c>\&gt; N</c> / <c>\&lt; N</c> a number
/// above or below N; other words are matched folded (case and accents). Lines starting with <c>#</c> or <c>@</c> are
/// comments or FastContext's feature declarations. A bad line is an error naming the file and line.
/// </summary>
public sealed class ContextRuleSet
{
    private const int DefaultWindow = 10;
    private readonly Dictionary<string, List<ContextRule>> _byFirstWord;
    private readonly List<ContextRule> _byOther;

    private ContextRuleSet(string name, List<ContextRule> rules, string digest)
    {
        Name = name;
        Digest = digest;
        Rules = rules;
        _byFirstWord = rules.Where(r => r.Pattern[0].Word is not null).GroupBy(r => r.Pattern[0].Word!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(r => r.Pattern.Count).ToList(), StringComparer.Ordinal);
        _byOther = [.. rules.Where(r => r.Pattern[0].Word is null).OrderByDescending(r => r.Pattern.Count)];
    }

    /// <summary>Where the rules come from (a file name), for rule ids and errors.</summary>
    public string Name { get; }

    public IReadOnlyList<ContextRule> Rules { get; }

    /// <summary>A digest of the rule file's text: rules with the same digest decide the same way.</summary>
    public string Digest { get; }

    /// <summary>The rules shipped for <paramref name="language"/> (src/Fhirhouse.Nlp/Rules/context-en.txt, context-fr.txt).</summary>
    public static ContextRuleSet Shipped(Language language)
    {
        var name = language == Language.French ? "context-fr.txt" : "context-en.txt";
        using var stream = typeof(ContextRuleSet).Assembly.GetManifestResourceStream("Fhirhouse.Nlp.Rules." + name)
            ?? throw new InvalidOperationException($"The rule file {name} is not embedded in {typeof(ContextRuleSet).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return Parse(language == Language.French ? "fr" : "en", reader.ReadToEnd());
    }

    /// <summary>Parses a rule file; <paramref name="name"/> prefixes the rule ids (<c>name:line</c>).</summary>
    public static ContextRuleSet Parse(string name, string text)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(text);
        var rules = new List<ContextRule>();
        var lines = text.Split('\n');
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n].TrimEnd('\r');
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#') || line.StartsWith('@'))
            {
                continue;
            }

            var fields = line.Split('|');
            if (fields.Length is < 4 or > 5)
            {
                throw Bad(name, n, "expected phrase|direction|kind|modifier|window");
            }

            var direction = fields[1].Trim().ToLowerInvariant() switch
            {
                "forward" => RuleDirection.Forward,
                "backward" => RuleDirection.Backward,
                "both" or "bidirectional" => RuleDirection.Both,
                var other => throw Bad(name, n, $"unknown direction '{other}' (forward, backward, both)"),
            };
            var kind = fields[2].Trim().ToLowerInvariant() switch
            {
                "trigger" => RuleKind.Trigger,
                "pseudo" => RuleKind.Pseudo,
                "termination" => RuleKind.Termination,
                var other => throw Bad(name, n, $"unknown kind '{other}' (trigger, pseudo, termination)"),
            };
            var modifier = fields[3].Trim().ToLowerInvariant() switch
            {
                "negated" => RuleModifier.Negated,
                "uncertain" => RuleModifier.Uncertain,
                "historical" => RuleModifier.Historical,
                "hypothetical" or "conditional" => RuleModifier.Hypothetical,
                "nonpatient" => RuleModifier.NonPatient,
                var other => throw Bad(name, n, $"unknown modifier '{other}' (negated, uncertain, historical, hypothetical, conditional, nonpatient)"),
            };
            var window = DefaultWindow;
            if (fields.Length == 5 && fields[4].Trim().Length > 0 && (!int.TryParse(fields[4].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out window) || window < 1))
            {
                throw Bad(name, n, $"window '{fields[4].Trim()}' is not a positive number of tokens");
            }

            var pattern = Pattern(fields[0], name, n);
            rules.Add(new ContextRule(pattern, direction, kind, modifier, window, $"{name}:{n + 1}", fields[0].Trim()));
        }

        return new ContextRuleSet(name, rules, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..16]);
    }

    /// <summary>
    /// The rule matches of a sentence: at each position, for each field (negation, temporality, experiencer), the longest
    /// phrase that starts there (all its rules: one phrase may trigger one modifier and terminate another), matches at different positions free to
    /// overlap (": no" and "no" both count), except that a pseudo-trigger hides the matches inside it that decide the same
    /// field (a negation pseudo-trigger hides negation and uncertainty triggers, not a family member's name). A list
    /// item's marker ("- Sister with asthma") is not the "-" of "-fever": a sentence's first dash followed by a space
    /// triggers nothing.
    /// </summary>
    public List<RuleMatch> Match(IReadOnlyList<Token> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var matches = new List<RuleMatch>();
        var found = new List<(ContextRule Rule, int Length)>();
        Span<int> longest = stackalloc int[3];
        var listMarker = tokens.Count > 1 && tokens[0].Norm is "-" or "*" or "\u2022" or "\u2013" && tokens[1].Start > tokens[0].End;
        for (var i = listMarker ? 1 : 0; i < tokens.Count; i++)
        {
            found.Clear();
            if (_byFirstWord.TryGetValue(tokens[i].Norm, out var candidates))
            {
                Collect(candidates, tokens, i, found);
            }

            Collect(_byOther, tokens, i, found);
            longest.Clear();
            foreach (var (rule, length) in found)
            {
                longest[Family(rule.Modifier)] = Math.Max(longest[Family(rule.Modifier)], length);
            }

            foreach (var (rule, length) in found)
            {
                if (length == longest[Family(rule.Modifier)])
                {
                    matches.Add(new RuleMatch(rule, i, i + length));
                }
            }
        }

        var pseudo = matches.Where(m => m.Rule.Kind == RuleKind.Pseudo).ToList();
        return pseudo.Count == 0
            ? matches
            : [.. matches.Where(m => m.Rule.Kind == RuleKind.Pseudo || !pseudo.Any(p => p.Start <= m.Start && m.End <= p.End && Family(p.Rule.Modifier) == Family(m.Rule.Modifier)))];
    }

    /// <summary>The families of modifiers that decide one field: negation (negated, uncertain), temporality, experiencer.</summary>
    internal static int Family(RuleModifier modifier) => modifier switch
    {
        RuleModifier.Negated or RuleModifier.Uncertain => 0,
        RuleModifier.Historical or RuleModifier.Hypothetical => 1,
        _ => 2,
    };

    private static void Collect(List<ContextRule> rules, IReadOnlyList<Token> tokens, int at, List<(ContextRule Rule, int Length)> found)
    {
        foreach (var rule in rules)
        {
            var length = rule.Pattern.Count;
            if (at + length > tokens.Count)
            {
                continue;
            }

            var matches = true;
            for (var k = 0; k < length && matches; k++)
            {
                matches = rule.Pattern[k].Matches(tokens[at + k]);
            }

            if (matches)
            {
                found.Add((rule, length));
            }
        }
    }

    private static List<PatternElement> Pattern(string phrase, string name, int line)
    {
        var elements = new List<PatternElement>();
        var parts = phrase.Replace(" ' ", "'", StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        for (var k = 0; k < parts.Length; k++)
        {
            var part = parts[k];
            if (part == "\\w+")
            {
                elements.Add(new PatternElement(null, true, null, null));
            }
            else if (part is "\\>" or "\\<")
            {
                if (k + 1 >= parts.Length || !double.TryParse(parts[k + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out var bound))
                {
                    throw Bad(name, line, $"'{part}' must be followed by a number");
                }

                elements.Add(part == "\\>" ? new PatternElement(null, false, bound, null) : new PatternElement(null, false, null, bound));
                k++;
            }
            else
            {
                // A trailing elision ("d'", "qu'") is one token in text only before a word: tokenize it before one.
                var elided = part.EndsWith('\'') || part.EndsWith('\u2019');
                var tokens = Tokenizer.Tokenize(elided ? part + "x" : part);
                foreach (var token in elided ? tokens.Take(tokens.Count - 1) : tokens)
                {
                    elements.Add(new PatternElement(token.Norm, false, null, null));
                }
            }
        }

        return elements.Count > 0 ? elements : throw Bad(name, line, "the phrase is empty");
    }

    private static FormatException Bad(string name, int line, string problem) => new($"Rule file {name}, line {line + 1}: {problem}.");
}

/// <summary>A rule matched on tokens <see cref="Start"/> to <see cref="End"/> (exclusive) of a sentence.</summary>
public readonly record struct RuleMatch(ContextRule Rule, int Start, int End);
