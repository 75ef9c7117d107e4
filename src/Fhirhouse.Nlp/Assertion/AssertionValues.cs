namespace Fhirhouse.Nlp.Assertion;

/// <summary>Whether a mention is asserted present, negated, or possible (uncertain), in the NegEx/ConText test kit's terms.</summary>
public enum Negation
{
    Affirmed,
    Negated,
    Possible,
}

/// <summary>When a mention holds: now (recent), in the past (historical), or only under a condition or in the future (hypothetical).</summary>
public enum Temporality
{
    Recent,
    Historical,
    Hypothetical,
}

/// <summary>Who a mention is about: the patient, or another person (a family member...).</summary>
public enum Experiencer
{
    Patient,
    Other,
}

/// <summary>The languages the rules and lexicons are written for.</summary>
public enum Language
{
    English,
    French,
}

/// <summary>The assertion of one mention, with the ids of the rules that decided it (<c>fr:42</c>: file and line).</summary>
public sealed record MentionAssertion(Negation Negation, Temporality Temporality, Experiencer Experiencer, IReadOnlyList<string> Rules)
{
    public static MentionAssertion Default { get; } = new(Negation.Affirmed, Temporality.Recent, Experiencer.Patient, []);
}
