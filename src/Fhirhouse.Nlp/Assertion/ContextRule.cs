namespace Fhirhouse.Nlp.Assertion;

/// <summary>Which way a rule looks from where it matched: at the words after it, before it, or both.</summary>
public enum RuleDirection
{
    Forward,
    Backward,
    Both,
}

/// <summary>
/// What a rule does: a trigger gives its modifier to the mentions in its scope; a pseudo-trigger is a phrase that
/// contains a trigger's words but is not one ("no increase", "pas d'amélioration"), so it hides them; a termination ends
/// the scope of the triggers of its modifier ("but", "mais").
/// </summary>
public enum RuleKind
{
    Trigger,
    Pseudo,
    Termination,
}

/// <summary>What a trigger says about the mentions in its scope.</summary>
public enum RuleModifier
{
    Negated,
    Uncertain,
    Historical,
    Hypothetical,
    NonPatient,
}

/// <summary>One element of a rule's phrase: a word (folded), any one word, or a number above or below a bound.</summary>
public readonly record struct PatternElement(string? Word, bool AnyWord, double? Above, double? Below)
{
    public bool Matches(Text.Token token) =>
        Word is not null ? string.Equals(token.Norm, Word, StringComparison.Ordinal)
        : AnyWord ? token.Kind is Text.TokenKind.Word or Text.TokenKind.Number
        : token.Number is { } n && (Above is null || n > Above) && (Below is null || n < Below);
}

/// <summary>A ConText rule as the rule file states it (docs/nlp.md): its phrase, direction, kind, modifier, window and id.</summary>
public sealed record ContextRule(IReadOnlyList<PatternElement> Pattern, RuleDirection Direction, RuleKind Kind, RuleModifier Modifier, int Window, string Id, string Phrase);
