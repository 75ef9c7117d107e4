using System.Globalization;
using System.Runtime.InteropServices;
using Fhirhouse.Nlp.Assertion;
using Fhirhouse.Nlp.Text;

namespace Fhirhouse.Nlp.Measurements;

/// <summary>
/// Measurements of a text, read where a test's label is: "TA 150/95 mmHg", "FC 88/min", "T° 38,5 °C", "SpO2:94%AA",
/// "créatinine 110 µmol/L", "CRP &lt; 5". The value follows its label within three words on the same line; the unit, when
/// written, follows the value and must be one the test is read in (else nothing is reported: never a wrong unit); with
/// no unit, the test's default for the language is assumed when the value is in its range. A value outside every range
/// of its test ("TA 1500/95") is not reported. A number that a date, a count ("3 mois", "50 ans") or a ratio
/// ("12/03/2024") follows is no measurement. Tests, labels, units and ranges are data: measurement-tests.tsv.
/// Stateless once built; one instance serves many texts and threads.
/// </summary>
public sealed class MeasurementExtractor
{
    private const int MaxWordsBetween = 3;

    /// <summary>Tokens read after a label's first token: enough for the longest label, three words, a comparator, a value and a unit.</summary>
    private const int Window = 24;
    private static readonly PhraseTrie<string> s_comparators = Comparators();
    private readonly PhraseTrie<MeasurementTest> _labels = new();
    private readonly WordFilter _labelStarts = new();
    private readonly PhraseTrie<string> _units = new();
    private readonly string _language;

    /// <summary>The table's name and version (recorded with what it finds).</summary>
    public string Version { get; }

    /// <summary>How many tests the table has.</summary>
    public int TestCount { get; }

    private MeasurementExtractor(string version, string language, int tests)
    {
        Version = version;
        _language = language;
        TestCount = tests;
    }

    /// <summary>The table shipped (src/Fhirhouse.Nlp/Measurements/measurement-tests.tsv), with the labels of <paramref name="language"/>.</summary>
    public static MeasurementExtractor Shipped(Language language)
    {
        const string name = "measurement-tests.tsv";
        using var stream = typeof(MeasurementExtractor).Assembly.GetManifestResourceStream("Fhirhouse.Nlp.Measurements." + name)
            ?? throw new InvalidOperationException($"The measurement table {name} is not embedded.");
        using var reader = new StreamReader(stream);
        return Parse(name, reader.ReadToEnd(), language);
    }

    /// <summary>Parses a measurement table (the format is described at the top of measurement-tests.tsv); a bad line is an error naming the file and line.</summary>
    public static MeasurementExtractor Parse(string name, string text, Language language)
    {
        ArgumentNullException.ThrowIfNull(text);
        var code = language == Language.French ? "fr" : "en";
        var tests = new Dictionary<string, MeasurementTest>(StringComparer.Ordinal);
        var labels = new List<(string Phrase, string Id, int Line)>();
        var units = new List<(string Phrase, string Ucum)>();
        var version = name;
        var lines = text.Split('\n');
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n].TrimEnd('\r');
            if (line.StartsWith("# version ", StringComparison.Ordinal))
            {
                version = $"{name} {line["# version ".Length..].Trim()}";
                continue;
            }

            if (line.Trim().Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var f = line.Split('\t');
            switch (f[0])
            {
                case "test" when f.Length is 4 or 8:
                    var components = f.Length == 8 ? new[] { (f[4], f[5]), (f[6], f[7]) } : [];
                    if (!tests.TryAdd(f[1], new MeasurementTest(f[1], f[2], f[3], components, [])))
                    {
                        throw Bad(name, n, $"test '{f[1]}' is defined twice");
                    }

                    break;
                case "label" when f.Length == 4:
                    if (f[2] is not ("fr" or "en" or "*"))
                    {
                        throw Bad(name, n, $"label language '{f[2]}' is not fr, en or *");
                    }

                    if (f[2] == "*" || f[2] == code)
                    {
                        labels.Add((f[3], f[1], n));
                    }

                    break;
                case "unit" when f.Length == 3:
                    units.Add((f[1], f[2]));
                    break;
                case "range" when f.Length == 9:
                    Test(f[1], n).Ranges.Add(Range(f, name, n, Test(f[1], n)));
                    break;
                default:
                    throw Bad(name, n, "expected test<TAB>id<TAB>loinc<TAB>display[<TAB>loinc<TAB>display<TAB>loinc<TAB>display], "
                        + "label<TAB>id<TAB>fr|en|*<TAB>phrase, unit<TAB>phrase<TAB>ucum|- or "
                        + "range<TAB>id<TAB>ucum<TAB>min<TAB>max<TAB>default<TAB>loinc|-<TAB>display|-<TAB>report|-");
            }
        }

        var extractor = new MeasurementExtractor(version, code, tests.Count);
        foreach (var (phrase, id, n) in labels)
        {
            extractor._labels.Add(phrase, Test(id, n));
            var first = QuantityTokens.Refine(Tokenizer.Tokenize(phrase), phrase)[0];
            if (first.Kind != TokenKind.Word)
            {
                throw Bad(name, n, $"label '{phrase}' does not start with a word");
            }

            extractor._labelStarts.Add(first.Norm);
        }

        foreach (var (phrase, ucum) in units)
        {
            extractor._units.Add(phrase, ucum);
        }

        return extractor;

        MeasurementTest Test(string id, int n) =>
            tests.TryGetValue(id, out var test) ? test : throw Bad(name, n, $"test '{id}' is not defined above");
    }

    /// <summary>
    /// The measurements of a text, in text order. <paramref name="tokens"/> are <see cref="Tokenizer"/>'s tokens of
    /// <paramref name="text"/> (all of it, or one sentence); spans are offsets in <paramref name="text"/>.
    /// </summary>
    public IReadOnlyList<MeasurementMention> Extract(IReadOnlyList<Token> tokens, string text)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(text);
        List<MeasurementMention>? found = null;
        List<Token>? window = null;
        var all = tokens switch
        {
            List<Token> list => CollectionsMarshal.AsSpan(list),
            Token[] array => array,
            _ => tokens.ToArray(),
        };
        for (var i = 0; i < all.Length; i++)
        {
            ref readonly var token = ref all[i];
            if (token.Kind != TokenKind.Word || QuantityTokens.Lead(token) is var lead
                && (!_labelStarts.MayContain(lead) || !NumberNear(all, i) || !_labels.StartsWith(lead)))
            {
                continue;
            }

            // Only the few tokens after a possible label are refined and read.
            (window ??= new List<Token>(Window + 8)).Clear();
            QuantityTokens.Refine(tokens, i, Math.Min(all.Length, i + Window), text, window);
            if (_labels.TryMatch(window, 0, text, out var label) && Read(window, text, 0, label.Length, label.Value, out _) is { } mention)
            {
                (found ??= []).Add(mention);
                while (i + 1 < all.Length && all[i + 1].Start < mention.End)
                {
                    i++;
                }
            }
        }

        return found ?? (IReadOnlyList<MeasurementMention>)[];
    }

    /// <summary>The measurement whose label spans tokens [at, at + length), and the index of its last token.</summary>
    private MeasurementMention? Read(List<Token> tokens, string text, int at, int length, MeasurementTest test, out int last)
    {
        last = at;
        var k = at + length;
        string? comparator = null;
        var between = 0;
        while (k < tokens.Count && tokens[k].Kind != TokenKind.Number)
        {
            if (BreaksLine(tokens, text, k) || tokens[k].Norm is "." or ";" or "!" or "?" || _labels.TryMatch(tokens, k, text, out _))
            {
                return null;
            }

            if (s_comparators.TryMatch(tokens, k, text, out var symbol))
            {
                comparator = symbol.Value;
                k += symbol.Length;
                break;
            }

            if (++between > MaxWordsBetween)
            {
                return null;
            }

            k++;
        }

        if (k >= tokens.Count || tokens[k].Kind != TokenKind.Number || BreaksLine(tokens, text, k) || LeadingZero(tokens[k]))
        {
            return null;
        }

        var first = k;
        var values = new decimal[test.Components.Count == 0 ? 1 : test.Components.Count];
        values[0] = QuantityTokens.Value(tokens[k]);
        for (var c = 1; c < values.Length; c++)
        {
            if (!IsSlash(tokens, text, k + 1) || k + 2 >= tokens.Count || tokens[k + 2].Kind != TokenKind.Number || LeadingZero(tokens[k + 2]))
            {
                return null;
            }

            k += 2;
            values[c] = QuantityTokens.Value(tokens[k]);
        }

        var valueLast = k;
        string? ucum = null;
        var unitLast = valueLast;
        if (valueLast + 1 < tokens.Count && !BreaksLine(tokens, text, valueLast + 1) && _units.TryMatch(tokens, valueLast + 1, text, out var unit))
        {
            if (unit.Value == "-")
            {
                return null;
            }

            ucum = unit.Value;
            unitLast = valueLast + unit.Length;
        }
        else if (IsSlash(tokens, text, valueLast + 1) && valueLast + 2 < tokens.Count && tokens[valueLast + 2].Kind == TokenKind.Number)
        {
            // "12/03/2024", "3/4": a date or a ratio, not this test.
            return null;
        }

        if (values.Length == 2 && values[1] >= values[0])
        {
            return null;
        }

        var range = Choose(test, ucum, values);
        if (range is null)
        {
            return null;
        }

        var components = new MeasurementComponent[test.Components.Count];
        for (var c = 0; c < components.Length; c++)
        {
            components[c] = new MeasurementComponent(test.Components[c].Loinc, test.Components[c].Display, values[c] * range.Factor);
        }

        last = unitLast;
        var start = tokens[at].Start;
        var end = tokens[unitLast].End;
        return new MeasurementMention(test.Id, range.Loinc, range.Display, values[0] * range.Factor, comparator, range.ReportUcum,
            ucum is null ? "" : text[tokens[valueLast + 1].Start..end], ucum is null, range.Factor != 1m, components,
            start, end, tokens[first].Start, tokens[valueLast].End, text[start..end]);
    }

    /// <summary>A number in the word at <paramref name="at"/> or in the few tokens after it, where a value could be.</summary>
    private static bool NumberNear(ReadOnlySpan<Token> tokens, int at)
    {
        var to = Math.Min(tokens.Length, at + Window / 2);
        for (var k = at; k < to; k++)
        {
            if (tokens[k].Kind == TokenKind.Number || (tokens[k].Kind == TokenKind.Word && tokens[k].Norm.AsSpan().IndexOfAnyInRange('0', '9') >= 0))
            {
                return true;
            }
        }

        return false;
    }

    private MeasurementRange? Choose(MeasurementTest test, string? ucum, decimal[] values)
    {
        foreach (var range in test.Ranges)
        {
            if ((ucum is null ? range.AssumedIn(_language) : range.Ucum == ucum) && Array.TrueForAll(values, range.Holds))
            {
                return range;
            }
        }

        return null;
    }

    private static bool IsSlash(List<Token> tokens, string text, int k) => k < tokens.Count && tokens[k].Norm == "/" && !BreaksLine(tokens, text, k);

    /// <summary>"03", "08": a day or a month, not a value.</summary>
    private static bool LeadingZero(Token token) => token.Norm.Length > 1 && token.Norm[0] == '0' && token.Norm[1] != '.';

    private static bool BreaksLine(List<Token> tokens, string text, int k) =>
        k > 0 && k < tokens.Count && text.AsSpan(tokens[k - 1].End, tokens[k].Start - tokens[k - 1].End).Contains('\n');

    private static MeasurementRange Range(string[] f, string name, int n, MeasurementTest test)
    {
        if (!decimal.TryParse(f[3], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var min)
            || !decimal.TryParse(f[4], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var max) || min > max)
        {
            throw Bad(name, n, $"range '{f[3]}'..'{f[4]}' is not two numbers, the smaller first");
        }

        if (f[5] is not ("fr" or "en" or "*" or "-"))
        {
            throw Bad(name, n, $"default '{f[5]}' is not fr, en, * or -");
        }

        var (report, factor) = (f[2], 1m);
        if (f[8] != "-")
        {
            var star = f[8].LastIndexOf('*');
            if (star <= 0 || !decimal.TryParse(f[8].AsSpan(star + 1), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out factor))
            {
                throw Bad(name, n, $"report '{f[8]}' is not ucum*factor");
            }

            report = f[8][..star];
        }

        return new MeasurementRange(f[2], min, max, f[5], f[6] == "-" ? test.Loinc : f[6], f[7] == "-" ? test.Display : f[7], report, factor);
    }

    private static PhraseTrie<string> Comparators()
    {
        var trie = new PhraseTrie<string>();
        foreach (var (phrase, symbol) in new[]
        {
            ("<", "<"), (">", ">"), ("≤", "<="), ("≥", ">="), ("< =", "<="), ("> =", ">="), ("=<", "<="), ("=>", ">="),
            ("inférieur à", "<"), ("inférieure à", "<"), ("inf à", "<"), ("moins de", "<"), ("supérieur à", ">"),
            ("supérieure à", ">"), ("sup à", ">"), ("plus de", ">"), ("less than", "<"), ("below", "<"), ("greater than", ">"),
            ("above", ">"), ("more than", ">"),
        })
        {
            trie.Add(phrase, symbol);
        }

        return trie;
    }

    private static FormatException Bad(string name, int line, string reason) => new($"Measurement table {name}, line {line + 1}: {reason}.");
}
