using Fhirhouse.Nlp.Assertion;

namespace Fhirhouse.Nlp.Tests;

/// <summary>
/// The team's frozen development sets (DevSets/README.md) scored by the shipped rules: every target is found, and no
/// score falls below the floor it reached when this test was written (a rule change that loses ground fails here).
/// </summary>
public sealed class DevSetTests
{
    private static List<AssertedLine> Run(string file, Language language) =>
        AssertTsv.Shipped().Run(File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "DevSets", file)), language);

    private static double F1(IEnumerable<AssertedLine> lines, string name) => AssertTsv.Score(lines).Single(s => s.Class == name).F1;

    [Fact]
    public void The_english_set_keeps_its_scores()
    {
        var lines = Run("en.tsv", Language.English);
        Assert.True(lines.Count(l => l.Problem is not null) <= 1, string.Join("; ", lines.Where(l => l.Problem is not null).Select(l => $"line {l.Line}: {l.Problem}")));
        Assert.InRange(F1(lines, "Negated"), 0.98, 1.0);
        Assert.InRange(F1(lines, "Historical"), 0.90, 1.0);
        Assert.InRange(F1(lines, "Hypothesis (Possible or Hypothetical)"), 0.82, 1.0);
        Assert.InRange(F1(lines, "Other"), 0.82, 1.0);
    }

    [Fact]
    public void The_french_set_keeps_its_scores()
    {
        var lines = Run("fr.tsv", Language.French);
        Assert.DoesNotContain(lines, l => l.Problem is not null);
        Assert.InRange(F1(lines, "Negated"), 0.94, 1.0);
        Assert.InRange(F1(lines, "Historical"), 0.82, 1.0);
        Assert.InRange(F1(lines, "Hypothesis (Possible or Hypothetical)"), 0.87, 1.0);
        Assert.InRange(F1(lines, "Other"), 0.90, 1.0);
    }
}
