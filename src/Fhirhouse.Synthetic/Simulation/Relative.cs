namespace Fhirhouse.Synthetic.Simulation;

/// <summary>A family member, named in both languages (French with its gender for agreement).</summary>
internal sealed record Relative(string English, string French, bool FrenchFeminine)
{
    public static readonly Relative[] All =
    [
        new("mother", "mère", true), new("father", "père", false), new("brother", "frère", false), new("sister", "sœur", true),
        new("maternal grandmother", "grand-mère maternelle", true), new("paternal grandfather", "grand-père paternel", false),
    ];
}
