using Fhirhouse.Nlp.Terminology;

namespace Fhirhouse.Nlp.Tests.Terminology;

public sealed class TermFormsTests
{
    [Theory]
    [InlineData("DM", true)]
    [InlineData("HTA", true)]
    [InlineData("Dm", false)]
    [InlineData("pH", false)]
    [InlineData("T", false)]
    [InlineData("12", false)]
    [InlineData("7.5", false)]
    [InlineData("--", false)]
    [InlineData("ECG", true)]
    [InlineData("B12", true)]
    [InlineData("1+2", false)]
    public void A_term_needs_a_word_and_three_characters_or_two_capitals(string term, bool expected) =>
        Assert.Equal(expected, TermForms.Accepts(term));

    [Theory]
    [InlineData("Essential (primary) hypertension", "Essential (primary) hypertension|Essential hypertension")]
    [InlineData("Hyperlipidemia, unspecified", "Hyperlipidemia, unspecified|Hyperlipidemia")]
    [InlineData("Glucose [Mass/volume] in Serum or Plasma", "Glucose [Mass/volume] in Serum or Plasma|Glucose in Serum or Plasma")]
    [InlineData("Œdème, sans précision", "Œdème, sans précision|Œdème")]
    [InlineData("Anémie SAI", "Anémie SAI|Anémie")]
    [InlineData("Pneumonia, organism unspecified (NOS)", "Pneumonia, organism unspecified (NOS)|Pneumonia, organism unspecified")]
    [InlineData("Diabète sucré de type 2, sans complication", "Diabète sucré de type 2, sans complication")]
    [InlineData("Vous et nos", "Vous et nos")]
    [InlineData("  Type 2\tdiabetes  ", "Type 2 diabetes")]
    [InlineData("(12)", "")]
    public void Variants_drop_brackets_and_unspecified_markers(string term, string expected)
    {
        var forms = new List<string>();
        TermForms.Add(term, variants: true, new HashSet<string>(StringComparer.Ordinal), forms);
        Assert.Equal(expected, string.Join('|', forms));
    }

    [Fact]
    public void A_form_already_seen_folded_is_not_added_again()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var forms = new List<string>();
        TermForms.Add("Diabète de type 2", variants: true, seen, forms);
        TermForms.Add("diabete de  TYPE 2", variants: true, seen, forms);
        Assert.Equal(["Diabète de type 2"], forms);
    }
}
