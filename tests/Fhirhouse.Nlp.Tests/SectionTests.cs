using Fhirhouse.Nlp.Assertion;
using Fhirhouse.Nlp.Text;

namespace Fhirhouse.Nlp.Tests;

/// <summary>Headings of French and English notes, and what a mention's section and dates change in its assertion.</summary>
public sealed class SectionTests
{
    private static readonly Annotator s_annotator = Annotator.Shipped();

    [Fact]
    public void Headings_are_found_as_whole_lines_or_before_a_colon_in_both_languages()
    {
        var french = "COMPTE RENDU\nMotif : douleur thoracique\n\nANTÉCÉDENTS\n- HTA\nAntécédents familiaux :\n- père : IDM à 50 ans\nTraitement habituel : metformine.\nEXAMEN CLINIQUE\nRAS.\nConduite à tenir : surveillance.\n";
        Assert.Equal(
            [SectionKind.ChiefComplaint, SectionKind.PastHistory, SectionKind.FamilyHistory, SectionKind.Medications, SectionKind.Examination, SectionKind.Plan],
            Sections.Find(french, Language.French).Select(s => s.Kind));
        var english = "PMH: HTN, DM2\nFH: father MI at 50\nMeds:\n- metformin\nA/P:\n1. chest pain\nPlan to start aspirin.\n";
        var sections = Sections.Find(english, Language.English);
        Assert.Equal([SectionKind.PastHistory, SectionKind.FamilyHistory, SectionKind.Medications, SectionKind.Assessment], sections.Select(s => s.Kind));
        Assert.Equal(english.Length, sections[^1].End);
        Assert.Equal(sections[1].Start, sections[0].End);
    }

    [Fact]
    public void A_sentence_that_starts_with_a_heading_word_is_not_a_heading()
    {
        Assert.Empty(Sections.Find("History of chest pain for two days.\nPlan to start aspirin tomorrow.\n", Language.English));
        Assert.Empty(Sections.Find("Examen du jour sans particularité.\n", Language.French));
    }

    [Fact]
    public void Under_past_history_a_mention_is_historical_unless_the_sentence_says_it_goes_on()
    {
        var text = "ANTÉCÉDENTS\n- Pneumopathie.\n- Diabète de type 2 traité par metformine.\n\nHISTOIRE DE LA MALADIE\nToux fébrile.\n";
        var (mentions, _) = s_annotator.Annotate(text, Language.French);
        Assert.Equal(Temporality.Historical, mentions.Single(m => m.Concept.Id == "pneumonia").Assertion.Temporality);
        Assert.Contains("section:PastHistory", mentions.Single(m => m.Concept.Id == "pneumonia").Assertion.Rules);
        Assert.Equal(Temporality.Recent, mentions.Single(m => m.Concept.Id == "t2dm").Assertion.Temporality);
        Assert.Equal(Temporality.Recent, mentions.Single(m => m.Concept.Id == "cough").Assertion.Temporality);
        Assert.Equal(SectionKind.PresentIllness, mentions.Single(m => m.Concept.Id == "cough").Section);
    }

    [Fact]
    public void Under_family_history_the_experiencer_is_the_relative_named()
    {
        var (mentions, _) = s_annotator.Annotate("Family history:\n- father: myocardial infarction at 50\n- diabetes\n", Language.English);
        var mi = mentions.Single(m => m.Concept.Id == "mi");
        Assert.Equal((Experiencer.Other, "FTH"), (mi.Assertion.Experiencer, mi.Relative?.Code));
        Assert.Equal((Experiencer.Other, "FAMMEMB"), (mentions.Single(m => m.Concept.Id == "diabetes").Assertion.Experiencer, mentions.Single(m => m.Concept.Id == "diabetes").Relative?.Code));
        var (french, _) = s_annotator.Annotate("Mère diabétique.", Language.French);
        Assert.Equal("MTH", Assert.Single(french).Relative?.Code);
    }

    [Fact]
    public void A_year_before_the_note_dates_a_mention_in_the_past_only_when_the_note_has_a_date()
    {
        Assert.Equal(Temporality.Historical, s_annotator.Annotate("Pneumonia (2019).", Language.English, writtenYear: 2024).Mentions.Single().Assertion.Temporality);
        Assert.Equal(Temporality.Recent, s_annotator.Annotate("Pneumonia (2019).", Language.English).Mentions.Single().Assertion.Temporality);
        Assert.Equal(Temporality.Recent, s_annotator.Annotate("Hypertension since 2015.", Language.English, writtenYear: 2024).Mentions.Single().Assertion.Temporality);
        Assert.Equal(Temporality.Recent, s_annotator.Annotate("Pneumonia (2024).", Language.English, writtenYear: 2024).Mentions.Single().Assertion.Temporality);
    }
}
