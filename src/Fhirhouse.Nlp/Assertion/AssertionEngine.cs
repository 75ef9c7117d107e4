using Fhirhouse.Nlp.Text;

namespace Fhirhouse.Nlp.Assertion;

/// <summary>
/// ConText over one sentence: the rules are matched once (longest phrase first, pseudo-triggers hiding the triggers they
/// contain), each trigger's scope runs from it in its direction for its window, ended by a termination of its modifier
/// or the sentence's end, and a mention in a trigger's scope takes its modifier. When several negation or temporality
/// triggers reach a mention, the nearest decides.
/// </summary>
public sealed class AssertionEngine(ContextRuleSet rules)
{
    public ContextRuleSet Rules { get; } = rules;

    /// <summary>The engine with the shipped rules of <paramref name="language"/>.</summary>
    public static AssertionEngine Shipped(Language language) => new(ContextRuleSet.Shipped(language));

    /// <summary>The assertion of the mention on tokens <paramref name="first"/> to <paramref name="last"/> (inclusive) of a sentence.</summary>
    public MentionAssertion Assert(IReadOnlyList<Token> sentence, int first, int last) =>
        Assert(sentence, Rules.Match(sentence), first, last);

    /// <summary>The same with the sentence's rule matches computed once (several mentions of one sentence).</summary>
    public static MentionAssertion Assert(IReadOnlyList<Token> sentence, List<RuleMatch> matches, int first, int last)
    {
        ArgumentNullException.ThrowIfNull(sentence);
        ArgumentNullException.ThrowIfNull(matches);
        if (first < 0 || last < first || last >= sentence.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(first), $"Mention tokens {first}..{last} are outside the sentence's {sentence.Count} tokens.");
        }

        (int Distance, RuleMatch Match)? negation = null;
        (int Distance, RuleMatch Match)? temporality = null;
        RuleMatch? other = null;
        foreach (var match in matches)
        {
            if (match.Rule.Kind != RuleKind.Trigger)
            {
                continue;
            }

            // A trigger that runs into the mention ("no acute" before "acute infarct") reaches it from before it. A
            // temporality or experiencer trigger inside the mention's own words ("childhood asthma") qualifies it; a
            // negation trigger inside them is part of its name.
            var overlaps = match.End > first && match.Start <= last;
            var inside = match.Start >= first && match.End <= last + 1;
            if (overlaps && (inside ? ContextRuleSet.Family(match.Rule.Modifier) == 0 : match.Start >= first || match.Rule.Direction == RuleDirection.Backward))
            {
                continue;
            }

            var distance = overlaps ? 0 : Reaches(match, matches, sentence.Count, first, last);
            if (distance < 0)
            {
                continue;
            }

            switch (match.Rule.Modifier)
            {
                case RuleModifier.Negated or RuleModifier.Uncertain when negation is null || distance < negation.Value.Distance:
                    negation = (distance, match);
                    break;
                case RuleModifier.Historical or RuleModifier.Hypothetical when temporality is null || distance < temporality.Value.Distance:
                    temporality = (distance, match);
                    break;
                case RuleModifier.NonPatient:
                    other ??= match;
                    break;
            }
        }

        var decided = new List<string>();
        var n = Negation.Affirmed;
        if (negation is { } neg)
        {
            n = neg.Match.Rule.Modifier == RuleModifier.Negated ? Negation.Negated : Negation.Possible;
            decided.Add(neg.Match.Rule.Id);
        }

        var t = Temporality.Recent;
        if (temporality is { } tem)
        {
            t = tem.Match.Rule.Modifier == RuleModifier.Historical ? Temporality.Historical : Temporality.Hypothetical;
            decided.Add(tem.Match.Rule.Id);
        }

        var e = Experiencer.Patient;
        if (other is { } o)
        {
            e = Experiencer.Other;
            decided.Add(o.Rule.Id);
        }

        return decided.Count == 0 ? MentionAssertion.Default : new MentionAssertion(n, t, e, decided);
    }

    /// <summary>How many tokens separate the trigger from the mention when its scope reaches it; -1 when it does not.</summary>
    private static int Reaches(RuleMatch trigger, List<RuleMatch> matches, int count, int first, int last)
    {
        var rule = trigger.Rule;
        if (rule.Direction is RuleDirection.Forward or RuleDirection.Both && first >= trigger.End)
        {
            var end = Math.Min(count, trigger.End + rule.Window);
            foreach (var m in matches)
            {
                if (m.Start >= trigger.End && m.Start < end && Terminates(m, rule.Modifier, RuleDirection.Forward))
                {
                    end = m.Start;
                    break;
                }
            }

            if (first < end)
            {
                return first - trigger.End;
            }
        }

        if (rule.Direction is RuleDirection.Backward or RuleDirection.Both && last < trigger.Start)
        {
            var start = Math.Max(0, trigger.Start - rule.Window);
            foreach (var m in matches)
            {
                if (m.End <= trigger.Start && m.End > start && Terminates(m, rule.Modifier, RuleDirection.Backward))
                {
                    start = m.End;
                }
            }

            if (last >= start)
            {
                return trigger.Start - last - 1;
            }
        }

        return -1;
    }

    /// <summary>
    /// Whether <paramref name="m"/> ends a scope of <paramref name="modifier"/> running in <paramref name="direction"/>:
    /// a termination of that modifier in that direction, or a trigger of another family of modifiers (a new statement
    /// begins: "no fever, possible pneumonia").
    /// </summary>
    private static bool Terminates(RuleMatch m, RuleModifier modifier, RuleDirection direction) =>
        m.Rule.Kind == RuleKind.Termination
            ? m.Rule.Modifier == modifier && (m.Rule.Direction == RuleDirection.Both || m.Rule.Direction == direction)
            : m.Rule.Kind == RuleKind.Trigger && ContextRuleSet.Family(m.Rule.Modifier) == ContextRuleSet.Family(modifier) && m.Rule.Modifier != modifier;

}
