using Fhirhouse.Nlp.Assertion;
using Fhirhouse.Nlp.Lexicon;
using Fhirhouse.Nlp.Text;

namespace Fhirhouse.Nlp.Medications;

/// <summary>
/// Drugs of a text and how they are taken: "metformine 850 mg 2 fois par jour", "Doliprane 1 g per os si douleur, max
/// 4 g/j", "lisinopril 10 mg PO daily", "amoxicilline 1 g x3/j pendant 7 jours", "arrêt de la metformine". After each
/// drug the words up to the next drug, the end of the sentence or line, an "end" phrase ("puis", "max") or four words
/// that say nothing are read with the dosage terms (dosage-terms.tsv); the first of each kind (strength, count,
/// route, timing, duration) is kept. Stateless once built; one instance serves many texts and threads.
/// </summary>
public sealed class MedicationExtractor
{
    private const int MaxUnknownInARow = 4;
    private const int MaxStopLookBack = 4;
    private const int MaxReasonWords = 3;

    /// <summary>Tokens read after a drug: what a long prescription line says of it.</summary>
    private const int Window = 32;
    private readonly ConceptLexicon _lexicon;
    private readonly DosageTerms _terms;

    /// <summary>The versions that decide what is found: the lexicon and the dosage terms.</summary>
    public string Version => $"{_lexicon.Version}, {_terms.Version}";

    private MedicationExtractor(ConceptLexicon lexicon, DosageTerms terms)
    {
        _lexicon = lexicon;
        _terms = terms;
    }

    /// <summary>The shipped lexicon of <paramref name="language"/> and the shipped dosage terms.</summary>
    public static MedicationExtractor Shipped(Language language) => new(ConceptLexicon.Shipped(language), DosageTerms.Shipped());

    /// <summary><paramref name="lexicon"/>'s medications and the shipped dosage terms.</summary>
    public static MedicationExtractor Shipped(ConceptLexicon lexicon)
    {
        ArgumentNullException.ThrowIfNull(lexicon);
        return new(lexicon, DosageTerms.Shipped());
    }

    /// <summary>
    /// The drugs of a text with their dosage, in text order. <paramref name="tokens"/> are <see cref="Tokenizer"/>'s tokens
    /// of <paramref name="text"/> (all of it, or one sentence); spans are offsets in <paramref name="text"/>.
    /// </summary>
    public IReadOnlyList<MedicationMention> Extract(IReadOnlyList<Token> tokens, string text)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(text);
        return Extract(tokens, text, _lexicon.Find(tokens, text));
    }

    /// <summary>
    /// The dosage of drugs already found (<see cref="ConceptLexicon.Find"/> over the same tokens; concepts of other kinds
    /// than <see cref="ConceptKind.Medication"/> are passed over), in the order given.
    /// </summary>
    public IReadOnlyList<MedicationMention> Extract(IReadOnlyList<Token> tokens, string text, IReadOnlyList<ConceptMatch> drugs)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(drugs);
        List<MedicationMention>? found = null;
        List<Token>? window = null;
        for (var d = 0; d < drugs.Count; d++)
        {
            var drug = drugs[d];
            if (drug.Concept.Kind != ConceptKind.Medication)
            {
                continue;
            }

            // Only the tokens around the drug are refined and read.
            var from = Math.Max(0, FirstAtOrAfter(tokens, drug.Start) - MaxStopLookBack - 1);
            var to = Math.Min(tokens.Count, FirstAtOrAfter(tokens, drug.End) + Window);
            (window ??= new List<Token>(Window + MaxStopLookBack + 16)).Clear();
            QuantityTokens.Refine(tokens, from, to, text, window);
            var limit = text.Length;
            for (var next = d + 1; next < drugs.Count; next++)
            {
                if (drugs[next].Concept.Kind == ConceptKind.Medication && drugs[next].Start >= drug.End)
                {
                    limit = drugs[next].Start;
                    break;
                }
            }

            (found ??= []).Add(Read(window, text, drug, limit));
        }

        return found ?? (IReadOnlyList<MedicationMention>)[];
    }

    private MedicationMention Read(List<Token> tokens, string text, ConceptMatch drug, int limit)
    {
        var dosage = new Dosage();
        var first = FirstAtOrAfter(tokens, drug.Start);
        var start = drug.Start;
        if (StopBefore(tokens, text, first) is { } stop)
        {
            dosage.Status = MedicationStatus.Stopped;
            start = tokens[stop].Start;
        }

        var end = drug.End;
        var k = FirstAtOrAfter(tokens, drug.End);
        var unknown = 0;
        while (k < tokens.Count && tokens[k].Start < limit && unknown < MaxUnknownInARow && !BreaksLine(tokens, text, k, drug.End) && !EndsSentence(tokens, text, k))
        {
            if (_terms.Cues.TryMatch(tokens, k, text, out var match) && match.Value.Kind == DosageCueKind.End)
            {
                break;
            }

            var length = match.Value is null ? 0 : Apply(dosage, match, tokens, text, k, limit);
            if (length == 0)
            {
                unknown++;
                k++;
                continue;
            }

            k += length;
            end = tokens[k - 1].End;
            unknown = 0;
            if (k < tokens.Count && tokens[k].Norm == "." && tokens[k].Start == end && !EndsSentence(tokens, text, k))
            {
                // "cp.", "j.": an abbreviation's dot.
                k++;
            }
        }

        return new MedicationMention(drug, dosage.Strength, dosage.Count ?? dosage.Strength, dosage.DailyDose, dosage.Form, dosage.Route,
            dosage.Timing, dosage.Duration, dosage.AsNeeded, dosage.AsNeededFor, dosage.Status, start, end, text[start..end]);
    }

    /// <summary>Applies a cue at <paramref name="at"/>; how many tokens it took (the reason words of "si ..." included), 0 when it is not believed.</summary>
    private int Apply(Dosage dosage, PhraseMatch<DosageCue> match, List<Token> tokens, string text, int at, int limit)
    {
        var cue = match.Value;
        var numbers = match.Numbers;
        var written = Span(tokens, text, at, match.Length);
        switch (cue.Kind)
        {
            case DosageCueKind.Dose when numbers[0] > 0:
                dosage.Strength ??= new MedicationQuantity(numbers[0], cue.Code, written.Text, written.Start, written.End);
                return match.Length;
            case DosageCueKind.DailyDose when numbers[0] > 0:
                dosage.DailyDose ??= new MedicationQuantity(numbers[0], cue.Code, written.Text, written.Start, written.End);
                return match.Length;
            case DosageCueKind.Count:
                var count = numbers.Length == 2 ? (numbers[1] == 0 ? 0 : numbers[0] / numbers[1]) : numbers[0];
                if (count is <= 0 or > 20)
                {
                    return 0;
                }

                dosage.Count ??= new MedicationQuantity(count, cue.Detail, written.Text, written.Start, written.End);
                dosage.Form ??= cue.Code;
                return match.Length;
            case DosageCueKind.Form:
                dosage.Form ??= cue.Code;
                return match.Length;
            case DosageCueKind.Route:
                dosage.Route ??= new MedicationRoute(cue.Code, cue.Detail, written.Text, written.Start, written.End);
                return match.Length;
            case DosageCueKind.Frequency:
                var n = 0;
                var frequency = cue.Frequency == "#" ? numbers[n++] : decimal.Parse(cue.Frequency, System.Globalization.CultureInfo.InvariantCulture);
                var period = cue.Period == "#" ? numbers[n] : decimal.Parse(cue.Period, System.Globalization.CultureInfo.InvariantCulture);
                if (frequency is < 1 or > 24 || frequency != decimal.Truncate(frequency) || period is <= 0 or > 366)
                {
                    return 0;
                }

                dosage.Time(new MedicationTiming((int)frequency, period, cue.Code, cue.When ?? [], written.Text, written.Start, written.End), text);
                return match.Length;
            case DosageCueKind.Slots:
                var when = new List<string>();
                for (var s = 0; s < numbers.Length; s++)
                {
                    if (numbers[s] is < 0 or > 4 || numbers[s] != decimal.Truncate(numbers[s]))
                    {
                        return 0;
                    }

                    if (numbers[s] > 0)
                    {
                        when.Add(cue.When![s]);
                    }
                }

                if (when.Count == 0)
                {
                    return 0;
                }

                dosage.Time(new MedicationTiming(when.Count, 1, "d", when, written.Text, written.Start, written.End), text);
                return match.Length;
            case DosageCueKind.Duration:
                var amount = cue.Amount == "#" ? numbers[0] : decimal.Parse(cue.Amount, System.Globalization.CultureInfo.InvariantCulture);
                if (amount is <= 0 or > 366)
                {
                    return 0;
                }

                dosage.Duration ??= new MedicationQuantity(amount, cue.Code, written.Text, written.Start, written.End);
                return match.Length;
            case DosageCueKind.AsNeeded:
                if (cue.Detail is not ("+" or "*"))
                {
                    dosage.AsNeeded = true;
                    dosage.AsNeededFor ??= cue.Detail == "-" ? null : cue.Detail;
                    return match.Length;
                }

                var words = Reason(tokens, text, at + match.Length, limit);
                if (words == 0 && cue.Detail == "+")
                {
                    return 0;
                }

                dosage.AsNeeded = true;
                dosage.AsNeededFor ??= words == 0 ? null : Span(tokens, text, at + match.Length, words).Text;
                return match.Length + words;
            case DosageCueKind.Stopped:
                dosage.Status = MedicationStatus.Stopped;
                return match.Length;
            default:
                return 0;
        }
    }

    /// <summary>How many words after "si", "en cas de" say what for: up to three, not a number, punctuation or another dosage phrase.</summary>
    private int Reason(List<Token> tokens, string text, int at, int limit)
    {
        var words = 0;
        while (words < MaxReasonWords && at + words < tokens.Count)
        {
            var k = at + words;
            if (tokens[k].Kind != TokenKind.Word || tokens[k].Start >= limit || BreaksLine(tokens, text, k, -1) || _terms.Cues.TryMatch(tokens, k, text, out _))
            {
                break;
            }

            words++;
        }

        return words;
    }

    /// <summary>The first token of a stop phrase ("arrêt de la", "stopped") that ends at the drug or one word before it.</summary>
    private int? StopBefore(List<Token> tokens, string text, int drug)
    {
        for (var j = drug - 1; j >= 0 && j >= drug - MaxStopLookBack; j--)
        {
            if (BreaksLine(tokens, text, j + 1, -1))
            {
                return null;
            }

            if (_terms.Cues.TryMatch(tokens, j, text, out var match) && match.Value.Kind == DosageCueKind.Stopped
                && j + match.Length >= drug - 1 && j + match.Length <= drug)
            {
                return j;
            }
        }

        return null;
    }

    private static int FirstAtOrAfter(IReadOnlyList<Token> tokens, int offset)
    {
        int lo = 0, hi = tokens.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (tokens[mid].Start < offset)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private static (string Text, int Start, int End) Span(List<Token> tokens, string text, int at, int length)
    {
        var start = tokens[at].Start;
        var end = tokens[at + length - 1].End;
        return (text[start..end], start, end);
    }

    /// <summary>A line break before token <paramref name="k"/> (or before it and after offset <paramref name="from"/>).</summary>
    private static bool BreaksLine(List<Token> tokens, string text, int k, int from)
    {
        var previous = k > 0 ? tokens[k - 1].End : 0;
        var start = Math.Max(previous, from);
        return k < tokens.Count && start <= tokens[k].Start && text.AsSpan(start, tokens[k].Start - start).Contains('\n');
    }

    /// <summary>";", "!", "?", or a "." that ends the text, a line, or comes before a capital letter.</summary>
    private static bool EndsSentence(List<Token> tokens, string text, int k)
    {
        var norm = tokens[k].Norm;
        if (norm is ";" or "!" or "?")
        {
            return true;
        }

        if (norm != ".")
        {
            return false;
        }

        return k + 1 >= tokens.Count || BreaksLine(tokens, text, k + 1, -1) || char.IsUpper(text[tokens[k + 1].Start]);
    }

    private sealed class Dosage
    {
        public MedicationQuantity? Strength { get; set; }

        public MedicationQuantity? Count { get; set; }

        public MedicationQuantity? DailyDose { get; set; }

        public string? Form { get; set; }

        public MedicationRoute? Route { get; set; }

        public MedicationTiming? Timing { get; private set; }

        public MedicationQuantity? Duration { get; set; }

        public bool AsNeeded { get; set; }

        public string? AsNeededFor { get; set; }

        public MedicationStatus Status { get; set; }

        /// <summary>
        /// The first timing stays; a later one that says the same frequency adds its times of day ("2 fois par jour, matin et
        /// soir") when they are no more than that frequency ("le matin ... le soir" is not once a day at two times).
        /// </summary>
        public void Time(MedicationTiming timing, string text)
        {
            if (Timing is null)
            {
                Timing = timing;
            }
            else if (Timing.Frequency == timing.Frequency && Timing.Period == timing.Period && Timing.PeriodUnit == timing.PeriodUnit
                && Timing.When.Union(timing.When).Count() <= Timing.Frequency)
            {
                Timing = Timing with
                {
                    When = Timing.When.Union(timing.When).ToArray(),
                    Text = text[Timing.Start..timing.End],
                    End = timing.End,
                };
            }
        }
    }
}
