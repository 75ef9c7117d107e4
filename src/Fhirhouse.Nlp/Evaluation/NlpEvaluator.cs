using Fhirhouse.Nlp.Assertion;
using Fhirhouse.Nlp.Lexicon;

namespace Fhirhouse.Nlp.Evaluation;

/// <summary>The scores of one group of texts (all, one language, notes or messages).</summary>
/// <param name="Detection">Mentions found: a prediction and a truth mention whose spans overlap count as one (each used once).</param>
/// <param name="Concepts">Mentions found with the right concept: overlapping and sharing a SNOMED CT code or an ICD-10 category.</param>
/// <param name="Assertions">On the mentions found with the right concept: Negated, Possible, Historical and Family, each as a class.</param>
/// <param name="AssertionAccuracy">The share of those whose negation, temporality and experiencer are all right.</param>
/// <param name="OutsideVocabulary">Predictions of concepts the ground truth never annotates (none of its codes): not scored.</param>
public sealed record EvaluationScores(
    int Documents, int TruthMentions, int Predictions, int OutsideVocabulary,
    ClassScore Detection, ClassScore Concepts, IReadOnlyList<ClassScore> Assertions, double AssertionAccuracy);

/// <summary>One difference between the engine and the ground truth: a mention missed, one spurious, a wrong concept, a wrong assertion.</summary>
public sealed record EvaluationDiscrepancy(string Resource, int Start, int End, string Kind, string Expected, string Actual);

/// <summary>
/// Scores the engine against a ground truth of annotated texts (<see cref="GroundTruth"/>), text by text: the
/// conditions, symptoms and findings it reads (measurements, drugs and procedures are not in the synthetic hospital's
/// truth) are matched one to one with the truth's mentions by overlapping span, the largest overlap first. A prediction
/// that overlaps none is spurious when its concept is one the truth annotates elsewhere, else outside the truth's
/// vocabulary and not scored (the truth only knows its own concepts).
/// </summary>
public sealed class NlpEvaluator
{
    /// <summary>The groups scored besides the whole: by language, and notes against patient messages.</summary>
    public static IReadOnlyList<string> Groups { get; } = ["en", "fr", "notes", "messages"];

    private readonly HashSet<string> _snomed = new(StringComparer.Ordinal);
    private readonly HashSet<string> _icd10 = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Tally> _tallies = new(StringComparer.Ordinal);
    private readonly List<EvaluationDiscrepancy> _discrepancies = [];
    private readonly int _keep;

    /// <summary>An evaluator of the texts of <paramref name="truth"/> (its codes are the vocabulary), keeping up to <paramref name="keepDiscrepancies"/> differences.</summary>
    public NlpEvaluator(IEnumerable<TruthDocument> truth, int keepDiscrepancies = 1000)
    {
        ArgumentNullException.ThrowIfNull(truth);
        foreach (var mention in truth.SelectMany(d => d.Mentions))
        {
            if (mention.Snomed is { Length: > 0 } snomed)
            {
                _snomed.Add(snomed);
            }

            if (Category(mention.Icd10) is { } category)
            {
                _icd10.Add(category);
            }
        }

        _keep = keepDiscrepancies;
        foreach (var group in Groups.Prepend("all"))
        {
            _tallies[group] = new Tally();
        }
    }

    /// <summary>The differences kept, in the order the texts were added.</summary>
    public IReadOnlyList<EvaluationDiscrepancy> Discrepancies => _discrepancies;

    /// <summary>Adds one text: its ground truth and what the engine read in it.</summary>
    public void Add(TruthDocument truth, TextReading reading)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(reading);
        var predicted = reading.Mentions.Where(m => m.Concept.Kind is ConceptKind.Condition or ConceptKind.Symptom or ConceptKind.Finding).ToList();
        var pairs = new List<(int Truth, int Predicted, int Overlap)>();
        for (var t = 0; t < truth.Mentions.Count; t++)
        {
            for (var p = 0; p < predicted.Count; p++)
            {
                var overlap = Math.Min(truth.Mentions[t].End, predicted[p].End) - Math.Max(truth.Mentions[t].Start, predicted[p].Start);
                if (overlap > 0)
                {
                    pairs.Add((t, p, overlap));
                }
            }
        }

        var truthMatch = new int[truth.Mentions.Count];
        var predictedMatch = new int[predicted.Count];
        Array.Fill(truthMatch, -1);
        Array.Fill(predictedMatch, -1);
        foreach (var (t, p, _) in pairs.OrderByDescending(x => x.Overlap).ThenBy(x => x.Truth).ThenBy(x => x.Predicted))
        {
            if (truthMatch[t] < 0 && predictedMatch[p] < 0)
            {
                truthMatch[t] = p;
                predictedMatch[p] = t;
            }
        }

        var groups = GroupsOf(truth, reading.Language);
        foreach (var tally in groups.Select(g => _tallies[g]))
        {
            tally.Documents++;
            tally.Truth += truth.Mentions.Count;
        }

        for (var t = 0; t < truth.Mentions.Count; t++)
        {
            var expected = truth.Mentions[t];
            if (truthMatch[t] < 0)
            {
                Count(groups, tally => tally.Missed++);
                Keep(truth.Resource, expected.Start, expected.End, "missed", expected.Concept, "");
                continue;
            }

            var found = predicted[truthMatch[t]];
            Count(groups, tally => tally.Found++);
            if (!SameConcept(expected, found.Concept))
            {
                Count(groups, tally => tally.WrongConcept++);
                Keep(truth.Resource, expected.Start, expected.End, "concept", $"{expected.Concept} ({expected.Snomed} {expected.Icd10})", $"{found.Concept.Id} ({Codes(found.Concept)})");
                continue;
            }

            var truthClasses = Classes(expected);
            var foundClasses = Classes(found.Assertion);
            Count(groups, tally =>
            {
                tally.Right++;
                tally.AllRight += truthClasses.SetEquals(foundClasses) && TruthTemporality(expected) == Temporal(found.Assertion) ? 1 : 0;
                foreach (var name in AssertionClasses)
                {
                    var (inTruth, inFound) = (truthClasses.Contains(name), foundClasses.Contains(name));
                    var counts = tally.Assertion[name];
                    tally.Assertion[name] = (counts.Tp + (inTruth && inFound ? 1 : 0), counts.Fp + (!inTruth && inFound ? 1 : 0), counts.Fn + (inTruth && !inFound ? 1 : 0));
                }
            });
            if (!(truthClasses.SetEquals(foundClasses) && TruthTemporality(expected) == Temporal(found.Assertion)))
            {
                Keep(truth.Resource, expected.Start, expected.End, "assertion",
                    $"{expected.Certainty}/{expected.Temporality}/{expected.Experiencer}", $"{found.Assertion.Negation}/{found.Assertion.Temporality}/{found.Assertion.Experiencer}");
            }
        }

        for (var p = 0; p < predicted.Count; p++)
        {
            if (predictedMatch[p] >= 0)
            {
                continue;
            }

            var concept = predicted[p].Concept;
            if (InVocabulary(concept))
            {
                Count(groups, tally => tally.Spurious++);
                Keep(truth.Resource, predicted[p].Start, predicted[p].End, "spurious", "", $"{concept.Id} ({Codes(concept)})");
            }
            else
            {
                Count(groups, tally => tally.Outside++);
            }
        }
    }

    /// <summary>The scores of every text added (<c>all</c>) and of each of <see cref="Groups"/>.</summary>
    public IReadOnlyDictionary<string, EvaluationScores> Scores() =>
        _tallies.ToDictionary(t => t.Key, t => t.Value.Scores(), StringComparer.Ordinal);

    private static readonly string[] AssertionClasses = ["Negated", "Possible", "Historical", "Family"];

    private static HashSet<string> Classes(TruthMention mention)
    {
        var classes = new HashSet<string>(StringComparer.Ordinal);
        if (mention.Certainty == "negated")
        {
            classes.Add("Negated");
        }
        else if (mention.Certainty == "possible")
        {
            classes.Add("Possible");
        }

        if (mention.Temporality == "historical")
        {
            classes.Add("Historical");
        }

        if (mention.Experiencer == "family")
        {
            classes.Add("Family");
        }

        return classes;
    }

    private static HashSet<string> Classes(MentionAssertion assertion)
    {
        var classes = new HashSet<string>(StringComparer.Ordinal);
        if (assertion.Negation == Negation.Negated)
        {
            classes.Add("Negated");
        }
        else if (assertion.Negation == Negation.Possible)
        {
            classes.Add("Possible");
        }

        if (assertion.Temporality == Temporality.Historical)
        {
            classes.Add("Historical");
        }

        if (assertion.Experiencer == Experiencer.Other)
        {
            classes.Add("Family");
        }

        return classes;
    }

    // The truth has no hypothetical temporality: a hypothetical reading of a current mention is an error of its own.
    private static bool TruthTemporality(TruthMention mention) => mention.Temporality != "current";

    private static bool Temporal(MentionAssertion assertion) => assertion.Temporality != Temporality.Recent;

    private bool InVocabulary(Concept concept) => concept.Codes.Any(c =>
        (c.System == CodeSystemNames.Snomed && _snomed.Contains(c.Code)) || (IsIcd10(c.System) && Category(c.Code) is { } category && _icd10.Contains(category)));

    /// <summary>The same concept: a SNOMED CT code in common, or the same ICD-10 category (the code's first three characters).</summary>
    public static bool SameConcept(TruthMention truth, Concept concept)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(concept);
        var category = Category(truth.Icd10);
        return concept.Codes.Any(c =>
            (c.System == CodeSystemNames.Snomed && string.Equals(c.Code, truth.Snomed, StringComparison.Ordinal))
            || (category is not null && IsIcd10(c.System) && string.Equals(Category(c.Code), category, StringComparison.Ordinal)));
    }

    private static bool IsIcd10(string system) => system is CodeSystemNames.Icd10 or CodeSystemNames.Icd10Cm;

    private static string? Category(string? icd10) =>
        icd10 is { Length: >= 3 } code ? code.Replace(".", "", StringComparison.Ordinal)[..3].ToUpperInvariant() : null;

    private static string Codes(Concept concept) => string.Join(" ", concept.Codes.Select(c => c.Code));

    private static List<string> GroupsOf(TruthDocument truth, Language read) =>
    [
        "all",
        (truth.Language is { } tag ? tag.StartsWith("fr", StringComparison.OrdinalIgnoreCase) : read == Language.French) ? "fr" : "en",
        truth.Resource.StartsWith("Communication/", StringComparison.Ordinal) ? "messages" : "notes",
    ];

    private void Count(List<string> groups, Action<Tally> update)
    {
        foreach (var group in groups)
        {
            update(_tallies[group]);
        }
    }

    private void Keep(string resource, int start, int end, string kind, string expected, string actual)
    {
        if (_discrepancies.Count < _keep)
        {
            _discrepancies.Add(new EvaluationDiscrepancy(resource, start, end, kind, expected, actual));
        }
    }

    private sealed class Tally
    {
        public int Documents;
        public int Truth;
        public int Found;
        public int Missed;
        public int Spurious;
        public int Outside;
        public int WrongConcept;
        public int Right;
        public int AllRight;
        public readonly Dictionary<string, (int Tp, int Fp, int Fn)> Assertion = AssertionClasses.ToDictionary(c => c, _ => (0, 0, 0), StringComparer.Ordinal);

        public EvaluationScores Scores() => new(
            Documents, Truth, Found + Spurious, Outside,
            new ClassScore("Detection", Found, Spurious, Missed),
            new ClassScore("Concept", Right, Spurious + WrongConcept, Missed + WrongConcept),
            [.. AssertionClasses.Select(c => new ClassScore(c, Assertion[c].Tp, Assertion[c].Fp, Assertion[c].Fn))],
            Right == 0 ? double.NaN : (double)AllRight / Right);
    }
}
