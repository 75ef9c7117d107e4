using Fhirhouse.Nlp.Text;

namespace Fhirhouse.Nlp.Assertion;

/// <summary>A family member named in a text, as an HL7 v3 RoleCode (<c>MTH</c>, <c>FTH</c> ...) with its display.</summary>
public sealed record Relative(string Code, string Display);

/// <summary>
/// The family member a sentence names, for a mention whose experiencer is another person: the word nearest the mention
/// among the relatives' words of both languages (folded), coded in HL7 v3 RoleCode as FamilyMemberHistory.relationship
/// asks. <c>FAMMEMB</c> (family member) when the sentence names the family without saying who ("family history of").
/// </summary>
public static class Relatives
{
    /// <summary>The v3 RoleCode system.</summary>
    public const string System = "http://terminology.hl7.org/CodeSystem/v3-RoleCode";

    public static Relative FamilyMember { get; } = new("FAMMEMB", "family member");

    private static readonly Dictionary<string, Relative> s_words = Build(
        (new("MTH", "mother"), ["mere", "maman", "mother", "mom", "mum"]),
        (new("FTH", "father"), ["pere", "papa", "father", "dad"]),
        (new("SIS", "sister"), ["soeur", "soeurs", "sister", "sisters"]),
        (new("BRO", "brother"), ["frere", "freres", "brother", "brothers"]),
        (new("SIB", "sibling"), ["fratrie", "sibling", "siblings"]),
        (new("GRMTH", "grandmother"), ["grand-mere", "grandmother", "grandma", "mamie"]),
        (new("GRFTH", "grandfather"), ["grand-pere", "grandfather", "grandpa", "papi"]),
        (new("GRPRN", "grandparent"), ["grands-parents", "grandparents", "grandparent"]),
        (new("SON", "son"), ["fils", "son", "sons"]),
        (new("DAU", "daughter"), ["fille", "daughter", "daughters"]),
        (new("CHILD", "child"), ["enfant", "enfants", "child", "children"]),
        (new("AUNT", "aunt"), ["tante", "aunt"]),
        (new("UNCLE", "uncle"), ["oncle", "uncle"]),
        (new("COUSN", "cousin"), ["cousin", "cousine", "cousins"]),
        (new("PRN", "parent"), ["parents", "parent"]));

    /// <summary>The relative the tokens name nearest to the mention (tokens <paramref name="first"/> to <paramref name="last"/>), or null when none is named.</summary>
    public static Relative? Nearest(IReadOnlyList<Token> tokens, int first, int last)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        Relative? best = null;
        var bestDistance = int.MaxValue;
        for (var i = 0; i < tokens.Count; i++)
        {
            if (s_words.TryGetValue(tokens[i].Norm, out var relative))
            {
                var distance = i < first ? first - i : i > last ? i - last : 0;
                if (distance < bestDistance)
                {
                    (best, bestDistance) = (relative, distance);
                }
            }
        }

        return best;
    }

    private static Dictionary<string, Relative> Build(params (Relative Relative, string[] Words)[] entries)
    {
        var words = new Dictionary<string, Relative>(StringComparer.Ordinal);
        foreach (var (relative, names) in entries)
        {
            foreach (var name in names)
            {
                words[name] = relative;
            }
        }

        return words;
    }
}
