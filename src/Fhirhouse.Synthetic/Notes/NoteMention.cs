namespace Fhirhouse.Synthetic.Notes;

/// <summary>
/// One concept mention in a generated note, as the generator meant it: the concept key (see Catalog.Concepts), the exact
/// text and its [Start, End) character offsets in the decoded note, and its assertion on three axes.
/// </summary>
public sealed record NoteMention(string Concept, string Text, int Start, int End, Certainty Certainty, Temporality Temporality, Experiencer Experiencer)
{
    /// <summary>The single-label assertion: family, absent, possible, historical or present (in that precedence).</summary>
    public string Assertion => Experiencer == Experiencer.Family ? "family"
        : Certainty == Certainty.Negated ? "absent"
        : Certainty == Certainty.Possible ? "possible"
        : Temporality == Temporality.Historical ? "historical"
        : "present";
}
