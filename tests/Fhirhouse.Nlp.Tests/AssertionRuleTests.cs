using Fhirhouse.Nlp.Assertion;

namespace Fhirhouse.Nlp.Tests;

/// <summary>Each ConText rule family of the shipped rules, in French and English, on sentences written for it.</summary>
public sealed class AssertionRuleTests
{
    private static readonly AssertTsv s_engine = AssertTsv.Shipped();

    private static MentionAssertion Decide(string sentence, string target, Language language)
    {
        var line = Assert.Single(s_engine.Run([sentence + "\t" + target], language));
        Assert.Null(line.Problem);
        return line.Result!;
    }

    [Theory]
    [InlineData("Pas de fièvre, toux ni dyspnée.", "fièvre")]
    [InlineData("Pas de fièvre, toux ni dyspnée.", "toux")]
    [InlineData("Pas de fièvre, toux ni dyspnée.", "dyspnée")]
    [InlineData("Absence de douleur thoracique ce jour.", "douleur thoracique")]
    [InlineData("Fièvre : non", "Fièvre")]
    [InlineData("Embolie pulmonaire éliminée sur l'angioscanner.", "Embolie pulmonaire")]
    [InlineData("Le patient ne présente pas de signe de TVP.", "TVP")]
    [InlineData("j'ai pas de fievre depuis hier", "fievre")]
    [InlineData("Sans œdème des membres inférieurs.", "œdème des membres inférieurs")]
    public void French_negation_reaches_the_mentions_in_its_scope(string sentence, string target) =>
        Assert.Equal(Negation.Negated, Decide(sentence, target, Language.French).Negation);

    [Theory]
    [InlineData("Pas d'amélioration de la douleur thoracique.", "douleur thoracique")]
    [InlineData("Pas de fièvre mais toux productive.", "toux productive")]
    [InlineData("Ne prend que du paracétamol.", "paracétamol")]
    [InlineData("Pas de modification de l'épanchement pleural.", "épanchement pleural")]
    public void French_pseudo_triggers_and_terminations_leave_the_mention_affirmed(string sentence, string target) =>
        Assert.Equal(Negation.Affirmed, Decide(sentence, target, Language.French).Negation);

    [Theory]
    [InlineData("Suspicion d'embolie pulmonaire.", "embolie pulmonaire")]
    [InlineData("EP à éliminer.", "EP")]
    [InlineData("Sans doute une pneumopathie.", "pneumopathie")]
    [InlineData("Tableau évocateur de pyélonéphrite.", "pyélonéphrite")]
    public void French_uncertainty_is_possible(string sentence, string target) =>
        Assert.Equal(Negation.Possible, Decide(sentence, target, Language.French).Negation);

    [Theory]
    [InlineData("ATCD d'IDM en 2019.", "IDM", Temporality.Historical)]
    [InlineData("Opéré d'une appendicite dans l'enfance.", "appendicite", Temporality.Historical)]
    [InlineData("Reconsulter si fièvre.", "fièvre", Temporality.Hypothetical)]
    [InlineData("Risque de chute à surveiller.", "chute", Temporality.Hypothetical)]
    public void French_temporality(string sentence, string target, Temporality expected) =>
        Assert.Equal(expected, Decide(sentence, target, Language.French).Temporality);

    [Theory]
    [InlineData("Père : IDM à 50 ans.", "IDM")]
    [InlineData("Mère diabétique de type 2.", "diabétique")]
    [InlineData("Antécédents familiaux : cancer du sein chez la tante maternelle.", "cancer du sein")]
    public void French_family_mentions_are_about_another_person(string sentence, string target) =>
        Assert.Equal(Experiencer.Other, Decide(sentence, target, Language.French).Experiencer);

    [Theory]
    [InlineData("No fever, cough, or shortness of breath.", "shortness of breath", Negation.Negated)]
    [InlineData("Patient denies chest pain.", "chest pain", Negation.Negated)]
    [InlineData("PE was ruled out.", "PE", Negation.Negated)]
    [InlineData("No increase in the pleural effusion.", "pleural effusion", Negation.Affirmed)]
    [InlineData("Denies chest pain but reports nausea.", "nausea", Negation.Affirmed)]
    [InlineData("Possible pneumonia in the right lower lobe.", "pneumonia", Negation.Possible)]
    public void English_negation_pseudo_triggers_and_uncertainty(string sentence, string target, Negation expected) =>
        Assert.Equal(expected, Decide(sentence, target, Language.English).Negation);

    [Theory]
    [InlineData("History of MI in 2015.", "MI", Temporality.Historical)]
    [InlineData("Return to the ED if chest pain recurs.", "chest pain", Temporality.Hypothetical)]
    public void English_temporality(string sentence, string target, Temporality expected) =>
        Assert.Equal(expected, Decide(sentence, target, Language.English).Temporality);

    [Fact]
    public void English_family_history_is_about_another_person() =>
        Assert.Equal(Experiencer.Other, Decide("Her mother has type 2 diabetes.", "type 2 diabetes", Language.English).Experiencer);

    [Fact]
    public void A_decision_names_the_rules_that_made_it()
    {
        var decided = Decide("Pas de fièvre.", "fièvre", Language.French);
        Assert.Equal(["fr:" + (Array.IndexOf(ShippedFrench(), "pas de|forward|trigger|negated|12") + 1)], decided.Rules);
    }

    [Fact]
    public void A_rule_file_line_that_does_not_parse_is_named()
    {
        var error = Assert.Throws<FormatException>(() => ContextRuleSet.Parse("mine", "no|forward|trigger|negated|10\nnot ever|sideways|trigger|negated|10\n"));
        Assert.Equal("Rule file mine, line 2: unknown direction 'sideways' (forward, backward, both).", error.Message);
    }

    [Fact]
    public void A_target_phrase_not_in_its_sentence_is_reported_with_its_line()
    {
        var lines = s_engine.Run(["No fever.\tfever", "No fever.\tcough"], Language.English);
        Assert.Null(lines[0].Problem);
        Assert.Equal((2, "the target phrase is not in the sentence"), (lines[1].Line, lines[1].Problem));
        Assert.Equal("No fever.\tcough\t\t\t", AssertTsv.Format(lines[1]));
    }

    private static string[] ShippedFrench()
    {
        using var stream = typeof(ContextRuleSet).Assembly.GetManifestResourceStream("Fhirhouse.Nlp.Rules.context-fr.txt")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n');
    }
}
