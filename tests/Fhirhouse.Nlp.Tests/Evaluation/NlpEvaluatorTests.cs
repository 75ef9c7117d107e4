using Fhirhouse.Nlp.Assertion;
using Fhirhouse.Nlp.Evaluation;

namespace Fhirhouse.Nlp.Tests.Evaluation;

public sealed class NlpEvaluatorTests
{
    private const string Text = "Pas de douleur thoracique. Mère diabétique. Fièvre. Toux.";

    private static readonly Annotator s_annotator = Annotator.Shipped();

    private static TruthMention Mention(string phrase, string concept, string snomed, string icd10, string certainty = "affirmed", string experiencer = "patient", string text = Text)
    {
        var start = text.IndexOf(phrase, StringComparison.Ordinal);
        return new TruthMention(concept, snomed, icd10, phrase, start, start + phrase.Length, certainty, "current", experiencer);
    }

    private static (EvaluationScores Scores, IReadOnlyList<EvaluationDiscrepancy> Differences) Score(params TruthMention[] mentions)
    {
        var truth = new TruthDocument("DocumentReference/n1", "fr", null, mentions);
        var evaluator = new NlpEvaluator([truth]);
        evaluator.Add(truth, s_annotator.Read(Text, Language.French));
        return (evaluator.Scores()["all"], evaluator.Discrepancies);
    }

    private static ClassScore Class(EvaluationScores scores, string name) => scores.Assertions.Single(a => a.Class == name);

    [Fact]
    public void Mentions_found_with_their_concept_and_assertion_score_one()
    {
        var (scores, differences) = Score(
            Mention("douleur thoracique", "chest-pain", "29857009", "R07.4", "negated"),
            Mention("diabétique", "diabetes", "73211009", "E11.9", experiencer: "family"),
            Mention("Fièvre", "fever", "386661006", "R50.9"),
            Mention("Toux", "cough", "49727002", "R05"));
        Assert.Empty(differences);
        Assert.Equal((4, 0, 0), (scores.Detection.TruePositives, scores.Detection.FalsePositives, scores.Detection.FalseNegatives));
        Assert.Equal(1.0, scores.Concepts.F1);
        Assert.Equal((1, 0, 0), (Class(scores, "Negated").TruePositives, Class(scores, "Negated").FalsePositives, Class(scores, "Negated").FalseNegatives));
        Assert.Equal(1, Class(scores, "Family").TruePositives);
        Assert.Equal(1.0, scores.AssertionAccuracy);
    }

    [Fact]
    public void A_wrong_assertion_a_wrong_concept_a_missed_and_a_spurious_mention_are_each_counted_and_named()
    {
        var (scores, differences) = Score(
            Mention("douleur thoracique", "chest-pain", "29857009", "R07.4"),                // truth says affirmed: the engine's "negated" is wrong
            Mention("diabétique", "diabetes", "0000", "Z99", experiencer: "family"),          // codes in common with none of the engine's
            Mention("Mère", "mother-thing", "1111", "Q00"));                                  // nothing found there
        Assert.Contains(differences, d => d.Kind == "assertion" && d.Expected == "affirmed/current/patient" && d.Actual == "Negated/Recent/Patient");
        Assert.Contains(differences, d => d.Kind == "concept" && d.Expected.StartsWith("diabetes", StringComparison.Ordinal));
        Assert.Contains(differences, d => d.Kind == "missed" && d.Expected == "mother-thing");
        Assert.Equal((1, 0, 0), (Class(scores, "Negated").FalsePositives, Class(scores, "Negated").TruePositives, Class(scores, "Negated").FalseNegatives));

        // Fever and cough: codes the truth never uses, so outside its vocabulary, not spurious.
        Assert.Equal(2, scores.OutsideVocabulary);
        Assert.Equal((2, 0, 1), (scores.Detection.TruePositives, scores.Detection.FalsePositives, scores.Detection.FalseNegatives));
    }

    [Fact]
    public void A_prediction_of_a_concept_the_truth_annotates_elsewhere_is_spurious()
    {
        var other = new TruthDocument("DocumentReference/n2", "fr", null, [new TruthMention("fever", "386661006", "R50.9", "fièvre", 0, 6, "affirmed", "current", "patient")]);
        var here = new TruthDocument("DocumentReference/n1", "fr", null, []);
        var evaluator = new NlpEvaluator([other, here]);
        evaluator.Add(here, s_annotator.Read(Text, Language.French));
        var scores = evaluator.Scores()["all"];
        Assert.Equal(1, scores.Detection.FalsePositives);
        Assert.Contains(evaluator.Discrepancies, d => d.Kind == "spurious" && d.Actual.StartsWith("fever", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("not json", "line 1: not JSON")]
    [InlineData("{\"resource\":\"DocumentReference/n1\"}", "'mentions' is an array")]
    [InlineData("{\"resource\":\"n1\",\"mentions\":[]}", "'resource' is Type/id")]
    [InlineData("{\"resource\":\"DocumentReference/n1\",\"mentions\":[{\"concept\":\"x\",\"start\":5,\"end\":2,\"certainty\":\"affirmed\",\"temporality\":\"current\",\"experiencer\":\"patient\"}]}", "mentions[0] has start 5 and end 2")]
    [InlineData("{\"resource\":\"DocumentReference/n1\",\"mentions\":[{\"concept\":\"x\",\"start\":0,\"end\":2,\"certainty\":\"sure\",\"temporality\":\"current\",\"experiencer\":\"patient\"}]}", "mentions[0].certainty is one of")]
    public void A_bad_truth_line_is_an_error_naming_the_line_and_the_field(string line, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => GroundTruth.Read(new StringReader(line), "truth.ndjson").ToList());
        Assert.Contains("truth.ndjson", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_synthetic_hospital_is_scored_whole_by_language_and_channel()
    {
        using var folder = new Fhirhouse.Testing.TempFolder();
        var summary = new Synthetic.HospitalGenerator(new Synthetic.HospitalOptions { Patients = 12, Seed = 15 }).Generate(folder.Path);
        var run = EvaluationFolder.Evaluate(folder.Path, Path.Combine(folder.Path, Synthetic.HospitalGenerator.GroundTruthFileName), s_annotator);
        Assert.Empty(run.NotFound);
        Assert.Empty(run.Unreadable);
        var all = run.Scores["all"];
        Assert.True(all.Documents > 20, $"{all.Documents} texts");
        Assert.Equal(all.Documents, run.Scores["en"].Documents + run.Scores["fr"].Documents);
        Assert.Equal(all.Documents, run.Scores["notes"].Documents + run.Scores["messages"].Documents);
        Assert.True(run.Scores["fr"].Documents > 0 && run.Scores["en"].Documents > 0 && run.Scores["messages"].Documents > 0);

        // Floors the shipped engine reached when this test was written: a change that loses ground fails here.
        Assert.InRange(all.Detection.F1, 0.95, 1.0);
        Assert.InRange(all.Concepts.F1, 0.93, 1.0);
        Assert.InRange(Class(all, "Negated").F1, 0.97, 1.0);
        Assert.InRange(Class(all, "Family").F1, 0.97, 1.0);
        Assert.InRange(all.AssertionAccuracy, 0.97, 1.0);
        Assert.True(summary.Files.Count > 0);
    }
}
