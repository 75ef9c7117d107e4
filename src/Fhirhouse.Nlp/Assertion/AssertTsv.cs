using System.Globalization;
using Fhirhouse.Nlp.Text;

namespace Fhirhouse.Nlp.Assertion;

/// <summary>One line of an assertion test file, with the engine's decision.</summary>
public sealed record AssertedLine(int Line, string[] Columns, MentionAssertion? Result, string? Problem);

/// <summary>
/// <c>fhirhouse nlp assert</c>: a TSV of <c>sentence&lt;TAB&gt;target phrase</c>, optionally followed by the expected
/// <c>negation</c> (Affirmed|Negated|Possible), <c>temporality</c> (Recent|Historical|Hypothetical) and
/// <c>experiencer</c> (Patient|Other) in the NegEx/ConText test kit's conventions, answered line by line in input order.
/// The target is found in its sentence by its folded tokens (case and accents do not matter); the sentence's language
/// is guessed from its function words unless given, the file's majority deciding a sentence without any.
/// </summary>
public sealed class AssertTsv(AssertionEngine english, AssertionEngine french)
{
    public static AssertTsv Shipped() => new(AssertionEngine.Shipped(Language.English), AssertionEngine.Shipped(Language.French));

    /// <summary>Decides every line; a line whose target is not in its sentence, or that lacks a column, gets a problem instead.</summary>
    public List<AssertedLine> Run(IEnumerable<string> lines, Language? language = null)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var parsed = new List<(int Line, string[] Columns, List<Token>? Tokens, Language? Guess)>();
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            var line = raw.TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            var columns = line.Split('\t');
            var tokens = columns.Length >= 2 ? Tokenizer.Tokenize(columns[0]) : null;
            parsed.Add((number, columns, tokens, tokens is null ? null : LanguageGuess.Guess(tokens)));
        }

        var majority = language ?? (parsed.Count(p => p.Guess == Language.French) > parsed.Count(p => p.Guess == Language.English) ? Language.French : Language.English);
        var results = new List<AssertedLine>(parsed.Count);
        foreach (var (line, columns, tokens, guess) in parsed)
        {
            if (tokens is null)
            {
                results.Add(new AssertedLine(line, columns, null, "expected sentence<TAB>target phrase"));
                continue;
            }

            var target = Tokenizer.Tokenize(columns[1]);
            var at = Find(tokens, target);
            if (target.Count == 0 || at < 0)
            {
                results.Add(new AssertedLine(line, columns, null, "the target phrase is not in the sentence"));
                continue;
            }

            var engine = (language ?? guess ?? majority) == Language.French ? french : english;
            var sentence = SentenceAround(tokens, at, at + target.Count - 1, out var offset);
            var assertion = engine.Assert(sentence, at - offset, at - offset + target.Count - 1);
            results.Add(new AssertedLine(line, columns, Answered(columns[0], tokens[at].Start, tokens[at + target.Count - 1].End, columns[1], assertion), null));
        }

        return results;
    }

    /// <summary>A target in a question of a transcript takes its negation from the answer (<see cref="Dialogue"/>).</summary>
    private static MentionAssertion Answered(string text, int start, int end, string target, MentionAssertion assertion)
    {
        var questions = Dialogue.Questions(text);
        if (questions.Count == 0
            || Dialogue.AnswerTo(questions, start, end, target, questions.Where(q => q.Start <= start && end <= q.End).SelectMany(q => Dialogue.ListedIn(q.Question))
                .Where(item => !item.Contains(target, StringComparison.OrdinalIgnoreCase))) is not var (_, answer))
        {
            return assertion;
        }

        return assertion with
        {
            Negation = answer switch { DialogueAnswer.No => Negation.Negated, DialogueAnswer.Unsure => Negation.Possible, _ => Negation.Affirmed },
            Rules = [.. assertion.Rules, "dialogue:" + answer.ToString().ToLowerInvariant()],
        };
    }

    /// <summary>The output line: the input columns, then negation, temporality and experiencer (empty for a line with a problem).</summary>
    public static string Format(AssertedLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var decided = line.Result is { } r ? $"{r.Negation}\t{r.Temporality}\t{r.Experiencer}" : "\t\t";
        return string.Join('\t', line.Columns) + "\t" + decided;
    }

    /// <summary>Precision, recall and F1 per class against the expected columns of the lines that have them.</summary>
    public static IReadOnlyList<ClassScore> Score(IEnumerable<AssertedLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var withExpected = lines.Where(l => l.Result is not null && l.Columns.Length >= 5).ToList();
        var classes = new (string Name, Func<string, string, string, bool> Expected, Func<MentionAssertion, bool> Decided)[]
        {
            ("Negated", (n, _, _) => Is(n, "Negated"), a => a.Negation == Negation.Negated),
            ("Possible", (n, _, _) => Is(n, "Possible"), a => a.Negation == Negation.Possible),
            ("Historical", (_, t, _) => Is(t, "Historical"), a => a.Temporality == Temporality.Historical),
            ("Hypothetical", (_, t, _) => Is(t, "Hypothetical"), a => a.Temporality == Temporality.Hypothetical),
            ("Hypothesis (Possible or Hypothetical)", (n, t, _) => Is(n, "Possible") || Is(t, "Hypothetical"), a => a.Negation == Negation.Possible || a.Temporality == Temporality.Hypothetical),
            ("Other", (_, _, e) => Is(e, "Other"), a => a.Experiencer == Experiencer.Other),
        };
        var scores = new List<ClassScore>();
        foreach (var (name, expected, decided) in classes)
        {
            int tp = 0, fp = 0, fn = 0;
            foreach (var line in withExpected)
            {
                var e = expected(line.Columns[2], line.Columns[3], line.Columns[4]);
                var d = decided(line.Result!);
                tp += e && d ? 1 : 0;
                fp += !e && d ? 1 : 0;
                fn += e && !d ? 1 : 0;
            }

            scores.Add(new ClassScore(name, tp, fp, fn));
        }

        return scores;
    }

    private static bool Is(string value, string expected) => string.Equals(value.Trim(), expected, StringComparison.OrdinalIgnoreCase);

    private static int Find(List<Token> tokens, List<Token> target)
    {
        for (var i = 0; i + target.Count <= tokens.Count; i++)
        {
            var k = 0;
            while (k < target.Count && string.Equals(tokens[i + k].Norm, target[k].Norm, StringComparison.Ordinal))
            {
                k++;
            }

            if (k == target.Count)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The sentence of a line's text that holds the mention (a line may hold several sentences); <paramref name="offset"/> is its first token's index.</summary>
    private static IReadOnlyList<Token> SentenceAround(List<Token> tokens, int first, int last, out int offset)
    {
        var start = first;
        while (start > 0 && !EndsSentence(tokens[start - 1]))
        {
            start--;
        }

        var end = last;
        while (end + 1 < tokens.Count && !EndsSentence(tokens[end]))
        {
            end++;
        }

        offset = start;
        return tokens.GetRange(start, end - start + 1);
    }

    private static bool EndsSentence(Token token) => token.Kind == TokenKind.Punctuation && token.Norm is "." or "!";
}

/// <summary>One class's counts and scores (<see cref="Precision"/>, <see cref="Recall"/>, <see cref="F1"/>; NaN when undefined).</summary>
public sealed record ClassScore(string Class, int TruePositives, int FalsePositives, int FalseNegatives)
{
    public double Precision => TruePositives + FalsePositives == 0 ? double.NaN : (double)TruePositives / (TruePositives + FalsePositives);

    public double Recall => TruePositives + FalseNegatives == 0 ? double.NaN : (double)TruePositives / (TruePositives + FalseNegatives);

    public double F1 => Precision + Recall is var sum && (double.IsNaN(sum) || sum == 0) ? double.NaN : 2 * Precision * Recall / sum;

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Class}: P {Precision:F3} R {Recall:F3} F1 {F1:F3} (TP {TruePositives}, FP {FalsePositives}, FN {FalseNegatives})");
}
