using Fhirhouse.Nlp.Assertion;
using Fhirhouse.Nlp.Lexicon;

namespace Fhirhouse.Nlp.Tests;

/// <summary>Concepts found by the shipped lexicons, with their assertion, on the issue's own examples and the matcher's rules.</summary>
public sealed class AnnotatorTests
{
    private static readonly Annotator s_annotator = Annotator.Shipped();

    private static Mention Only(string text, string concept)
    {
        var (mentions, _) = s_annotator.Annotate(text);
        return Assert.Single(mentions, m => m.Concept.Id == concept);
    }

    [Fact]
    public void The_issues_french_examples_come_out_with_their_assertion()
    {
        var chest = Only("Pas de douleur thoracique.", "chest_pain");
        Assert.Equal((Negation.Negated, "douleur thoracique"), (chest.Assertion.Negation, chest.Text));
        Assert.Contains(new Coding("http://snomed.info/sct", "29857009"), chest.Concept.Codes);
        Assert.Equal(Negation.Possible, Only("Suspicion d'embolie pulmonaire.", "pe").Assertion.Negation);
        Assert.Equal(Experiencer.Other, Only("Mère diabétique.", "diabetes").Assertion.Experiencer);
        Assert.Equal(Temporality.Historical, Only("ATCD d'IDM en 2019.", "mi").Assertion.Temporality);
        Assert.Equal(ConceptKind.Measurement, Only("TA 150/95 mmHg.", "bp").Concept.Kind);
        Assert.Equal(ConceptKind.Medication, Only("Metformine 850 mg 2 fois par jour.", "metformin").Concept.Kind);
        Assert.Equal(Negation.Affirmed, Only("Diabète de type 2 et tension artérielle élevée.", "t2dm").Assertion.Negation);
    }

    [Theory]
    [InlineData("Family history:\n- Sister with asthma.\n- No family history of stroke.", "asthma", Negation.Affirmed)]
    [InlineData("Antécédents familiaux :\n- Mère asthmatique\n* Père diabétique", "asthma", Negation.Affirmed)]
    [InlineData("ROS: -asthma, -fever.", "asthma", Negation.Negated)]
    public void A_list_items_dash_is_a_marker_but_a_dash_on_the_word_negates_it(string text, string concept, Negation expected) =>
        Assert.Equal(expected, Only(text, concept).Assertion.Negation);

    [Theory]
    [InlineData("Bot: Do you have a headache?\nPatient: no\nBot: Do you have chest pain?\nPatient: i don't know", "headache", Negation.Negated)]
    [InlineData("Bot: Do you have a headache?\nPatient: no\nBot: Do you have chest pain?\nPatient: i don't know", "chest_pain", Negation.Possible)]
    [InlineData("Assistant : Avez-vous de la fièvre ?\nPatiente : oui depuis hier", "fever", Negation.Affirmed)]
    [InlineData("Infirmière : Avez-vous une douleur thoracique ?\nPatient : pas du tout", "chest_pain", Negation.Negated)]
    [InlineData("Bot: Any headache?\nBot: Do you still have a headache?\nPatient: yes", "headache", Negation.Affirmed)]
    [InlineData("BOT: Any chest pain? USER: not really", "chest_pain", Negation.Negated)]
    [InlineData("BOT: Do you have any of the following: fever, cough, headache? USER: cough only", "fever", Negation.Negated)]
    [InlineData("BOT: Do you have any of the following: fever, cough, headache? USER: cough only", "headache", Negation.Negated)]
    public void A_question_of_a_transcript_takes_its_negation_from_the_patients_answer(string text, string concept, Negation expected)
    {
        var mention = s_annotator.Read(text, text.Contains("Avez", StringComparison.Ordinal) ? Language.French : Language.English).Mentions.Last(m => m.Concept.Id == concept);
        Assert.Equal(expected, mention.Assertion.Negation);
    }

    [Fact]
    public void A_chronic_disease_under_past_history_or_dated_stays_current_and_an_acute_one_is_past()
    {
        var reading = s_annotator.Read("ANTÉCÉDENTS\n- HTA (2019).\n- Appendicite (2001).\n- Asthme depuis 2007.", Language.French, writtenYear: 2025);
        Assert.Equal(Temporality.Recent, reading.Mentions.Single(m => m.Concept.Id == "htn").Assertion.Temporality);
        Assert.Equal(Temporality.Recent, reading.Mentions.Single(m => m.Concept.Id == "asthma").Assertion.Temporality);
        Assert.Equal(Temporality.Historical, reading.Mentions.Single(m => m.Concept.Id == "appendicitis").Assertion.Temporality);
        var answered = s_annotator.Read("Bot: Have you ever had pneumonia?\nPatient: yes in 2019", Language.English, writtenYear: 2025).Mentions.Single();
        Assert.Equal((Negation.Affirmed, Temporality.Historical), (answered.Assertion.Negation, answered.Assertion.Temporality));
    }

    [Fact]
    public void Reading_a_text_gives_its_measurements_and_the_dosage_of_its_drugs()
    {
        var text = "TA 150/95 mmHg. Metformine 850 mg 2 fois par jour.";
        var reading = s_annotator.Read(text, Language.French);
        var pressure = Assert.Single(reading.Measurements);
        Assert.Equal(["8480-6", "8462-4"], pressure.Components.Select(c => c.Loinc));
        Assert.Equal([150m, 95m], pressure.Components.Select(c => c.Value));
        var drug = Assert.Single(reading.Medications);
        Assert.Equal(("metformin", 850m, "mg"), (drug.Drug.Concept.Id, drug.Strength?.Value, drug.Strength?.Unit));
        Assert.Equal((2, 1m, "d"), (drug.Timing?.Frequency, drug.Timing?.Period, drug.Timing?.PeriodUnit));
        Assert.Equal(reading.Mentions.Select(m => m.Concept.Id), s_annotator.Annotate(text, Language.French).Mentions.Select(m => m.Concept.Id));
    }

    [Fact]
    public void The_longest_term_wins_and_the_text_keeps_its_span()
    {
        var text = "Patient with a history of type 2 diabetes mellitus.";
        var mention = Only(text, "t2dm");
        Assert.Equal("type 2 diabetes mellitus", text[mention.Start..mention.End]);
        Assert.Equal(Temporality.Historical, mention.Assertion.Temporality);
        Assert.DoesNotContain(s_annotator.Annotate(text).Mentions, m => m.Concept.Id == "diabetes");
    }

    [Fact]
    public void One_typo_is_forgiven_in_long_words_only()
    {
        var typo = Only("Known hypertention, on amlodipine.", "htn");
        Assert.True(typo.Fuzzy);
        Assert.False(Only("Known hypertension.", "htn").Fuzzy);
        Assert.DoesNotContain(s_annotator.Annotate("He has a coigh.").Mentions, m => m.Concept.Id == "cough");
    }

    [Theory]
    [InlineData("hypertension", "hypertention", true)]
    [InlineData("pneumopathie", "pneumopatihe", true)]
    [InlineData("metformine", "metformin", true)]
    [InlineData("metformine", "metfromine", true)]
    [InlineData("diabetique", "diabetiques2", false)]
    [InlineData("asthme", "asthma", true)]
    [InlineData("cephalee", "cepahlle", false)]
    public void Within_one_edit_is_the_optimal_string_alignment_distance(string a, string b, bool expected) =>
        Assert.Equal(expected, ConceptLexicon.WithinOneEdit(a, b));

    [Fact]
    public void A_lexicon_line_that_does_not_parse_is_named()
    {
        var error = Assert.Throws<FormatException>(() => ConceptLexicon.Parse("mine.tsv", "fever\tfever\tSymptom\tFever\tsct|386661006\ncough\tcough\tThing\tCough\tsct|49727002\n"));
        Assert.Equal("Lexicon mine.tsv, line 2: unknown kind 'Thing' (Condition, Symptom, Finding, Procedure, Medication, Measurement).", error.Message);
    }
}
