using System.Text.RegularExpressions;
using System.Xml.Linq;
using Fhirhouse.Nlp.Assertion;
using Fhirhouse.Nlp.Rendering;

namespace Fhirhouse.Nlp.Tests.Rendering;

public sealed partial class AnnotationHtmlTests
{
    private static readonly Annotator s_annotator = Annotator.Shipped();

    private static string Page(string text, Language language) =>
        AnnotationHtml.Render("DocumentReference/n1", [("content[0].attachment", text, s_annotator.Read(text, language))]);

    [Fact]
    public void Each_assertion_has_its_colour_and_badge_and_the_tooltip_names_codes_and_rules()
    {
        var page = Page("Pas de douleur thoracique. Suspicion d'embolie pulmonaire. Mère diabétique. ATCD d'infarctus du myocarde.", Language.French);
        Assert.Matches("<mark class=\"neg\"[^>]*>douleur thoracique</mark><sup class=\"ref\">1</sup><span class=\"badge neg\">NEG</span>", page);
        Assert.Matches("<mark class=\"poss\"[^>]*>embolie pulmonaire</mark><sup class=\"ref\">2</sup><span class=\"badge poss\">POSS</span>", page);
        Assert.Matches("<mark class=\"fam\"[^>]*>diabétique</mark>", page);
        Assert.Matches("<mark class=\"hist\"[^>]*>infarctus du myocarde</mark><sup class=\"ref\">4</sup><span class=\"badge hist\">HIST</span>", page);
        var title = TitleOf().Match(page).Groups[1].Value;
        Assert.Contains("SNOMED", title, StringComparison.Ordinal);
        Assert.Contains("Negated", title, StringComparison.Ordinal);
        Assert.Matches(@"rules \S+:\d+", title);
    }

    [Fact]
    public void Text_is_escaped_so_a_note_cannot_inject_markup()
    {
        var page = Page("<script>alert('x')</script> & diabète de type 2 \"quoted\"", Language.French);
        Assert.DoesNotContain("<script>", page, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; ", page, StringComparison.Ordinal);
        Assert.Contains("&quot;quoted&quot;", page, StringComparison.Ordinal);
        Assert.Matches("<mark class=\"present\"[^>]*>diabète de type 2</mark>", page);
    }

    [Fact]
    public void The_page_is_well_formed_with_overlapping_drug_dosage_and_measurement_spans()
    {
        var text = "Traitement : metformine 850 mg 2 fois par jour. TA 150/95 mmHg. Pas de fièvre.";
        var reading = s_annotator.Read(text, Language.French);
        Assert.NotEmpty(reading.Medications);
        Assert.NotEmpty(reading.Measurements);
        var page = AnnotationHtml.Render("MedicationRequest/m1", [("dosageInstruction[0].text", text, reading)]);

        // Parsed as XML (after the doctype), the markup nests: no span closes across another.
        var body = page[page.IndexOf("<html", StringComparison.Ordinal)..];
        var document = XDocument.Parse(body);
        var textDiv = document.Descendants("div").Single(d => (string?)d.Attribute("class") == "text");
        var visible = string.Concat(textDiv.DescendantNodes().OfType<XText>().Where(t => !IsAnnotationLabel(t.Parent!)).Select(t => t.Value));
        Assert.Equal(text, visible);
        Assert.Contains(textDiv.Descendants("span"), s => (string?)s.Attribute("class") == "drug" && s.Value.Contains("metformine", StringComparison.Ordinal));
        Assert.Contains(textDiv.Descendants("span"), s => (string?)s.Attribute("class") == "measure" && ((string?)s.Attribute("title"))!.Contains("150/95", StringComparison.Ordinal));
        Assert.Contains(document.Descendants("td"), td => td.Value.Contains("850", StringComparison.Ordinal) && td.Value.Contains("2 per 1 d", StringComparison.Ordinal));
    }

    [Fact]
    public void A_resource_with_no_text_or_no_finding_says_so()
    {
        Assert.Contains("has no text the engine reads", AnnotationHtml.Render("Communication/c1", []), StringComparison.Ordinal);
        Assert.Contains("Nothing found in this text", Page("Bonjour, merci.", Language.French), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Negation.Affirmed, Temporality.Recent, Experiencer.Patient, "present", "")]
    [InlineData(Negation.Negated, Temporality.Historical, Experiencer.Patient, "neg", "NEG HIST")]
    [InlineData(Negation.Possible, Temporality.Hypothetical, Experiencer.Patient, "poss", "POSS HYP")]
    [InlineData(Negation.Negated, Temporality.Recent, Experiencer.Other, "fam", "NEG FAM")]
    [InlineData(Negation.Affirmed, Temporality.Hypothetical, Experiencer.Patient, "hyp", "HYP")]
    public void Class_and_badges_follow_the_assertion(Negation negation, Temporality temporality, Experiencer experiencer, string expectedClass, string expectedBadges)
    {
        var assertion = new MentionAssertion(negation, temporality, experiencer, []);
        Assert.Equal(expectedClass, AnnotationHtml.ClassOf(assertion));
        Assert.Equal(expectedBadges, string.Join(" ", AnnotationHtml.BadgesOf(assertion)));
    }

    private static bool IsAnnotationLabel(XElement element) =>
        element.Name == "sup" || ((string?)element.Attribute("class"))?.StartsWith("badge", StringComparison.Ordinal) == true;

    [GeneratedRegex("<mark class=\"neg\" title=\"([^\"]*)\"")]
    private static partial Regex TitleOf();
}
