using Fhirhouse.Delta;
using Fhirhouse.Lake;
using Fhirhouse.Lake.Erasure;
using Fhirhouse.Lake.Tables;
using Fhirhouse.Ml.Pipelines;
using Fhirhouse.Ml.Registry;
using Fhirhouse.Ml.Scoring;
using Fhirhouse.Ml.Tests.Training;
using Fhirhouse.Query;
using Fhirhouse.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Fhirhouse.Ml.Tests.Pipelines;

/// <summary>The pipeline runner's decisions, batch scoring into ml.predictions and bronze, and erasure reaching models.</summary>
public sealed class PipelineRunnerTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero));

    public void Dispose() => _folder.Dispose();

    private QueryEngine Engine(Features.FeatureLake lake) => new(lake.Store, new QueryOptions { Catalog = new LakeCatalog(lake.Store) });

    [Fact]
    public async Task The_first_passing_model_becomes_champion_and_a_challenger_that_does_not_beat_it_is_declined_with_reasons()
    {
        var lake = await TrainingLake.WriteAsync(_folder.Path, 900, 21, menAtRandom: false);
        var spec = TrainingLake.Spec();
        using var engine = Engine(lake);
        var runner = new PipelineRunner(lake.Store, engine, _time);

        var first = await runner.RunAsync(spec, "tester", new PipelineRunOptions { Reason = "initial" });
        _time.Advance(TimeSpan.FromHours(1));
        var second = await runner.RunAsync(spec, "tester", new PipelineRunOptions { Reason = "nightly" });

        Assert.True(first.Gates.Passed);
        Assert.Equal((ModelActions.Promoted, ModelRegistry.Champion), (first.Decision!.Action, first.Decision.Alias));
        Assert.Contains("initial", first.Decision.Reasons);
        Assert.Equal(first.Model.ArtifactSha256, second.Model.ArtifactSha256);
        Assert.NotNull(second.Comparison);
        Assert.False(second.Comparison!.Passed);
        Assert.Equal(ModelActions.Declined, second.Decision!.Action);
        Assert.Contains(second.Decision.Reasons, r => r.Contains("AUROC", StringComparison.Ordinal) && r.Contains("champion", StringComparison.Ordinal));
        var registry = new ModelRegistry(lake.Store, _time);
        Assert.Equal(1, (await registry.GetAsync(spec.Name)).Version);
        Assert.Equal(first.Revision, second.Revision);
    }

    [Fact]
    public async Task A_run_that_fails_a_subgroup_bound_is_rejected_and_leaves_no_champion()
    {
        var lake = await TrainingLake.WriteAsync(_folder.Path, 1600, 13, menAtRandom: true);
        var spec = TrainingLake.Spec(maxSubgroupDrop: 0.1);
        using var engine = Engine(lake);

        var run = await new PipelineRunner(lake.Store, engine, _time).RunAsync(spec, "tester");

        Assert.False(run.Gates.Passed);
        Assert.Null(run.Decision);
        var registry = new ModelRegistry(lake.Store, _time);
        var rejected = Assert.Single(await registry.DecisionsAsync(spec.Name));
        Assert.Equal(ModelActions.Rejected, rejected.Action);
        Assert.Contains(rejected.Reasons, r => r.StartsWith("subgroup sex=male", StringComparison.Ordinal) && r.Contains("below the overall", StringComparison.Ordinal));
        Assert.Empty(await registry.AliasesAsync(spec.Name));
    }

    [Fact]
    public async Task Scoring_writes_one_prediction_per_row_with_the_model_version_and_lands_risk_assessments_in_bronze()
    {
        var lake = await TrainingLake.WriteAsync(_folder.Path, 700, 22, menAtRandom: false);
        var spec = TrainingLake.Spec();
        using var engine = Engine(lake);
        var run = await new PipelineRunner(lake.Store, engine, _time).RunAsync(spec, "tester");

        var scored = await new BatchScorer(lake.Store, engine, _time) { BatchRows = 250 }.ScoreAsync(spec, run.Model, null, null);

        Assert.Equal(700, scored.Rows);
        Assert.Equal((700 * 2) + 1, scored.ResourcesLanded);   // a RiskAssessment and a Provenance per row, the model's Device once
        var predictions = await engine.ExecuteAsync("SELECT count(*), count(DISTINCT patient_id), min(model_version), max(model_version), min(probability), max(probability) FROM ml.predictions");
        var p = predictions.Rows[0];
        Assert.Equal((700L, 700L, 1L, 1L), (Convert.ToInt64(p[0]), Convert.ToInt64(p[1]), Convert.ToInt64(p[2]), Convert.ToInt64(p[3])));
        Assert.InRange(Convert.ToDouble(p[4]), 0, 1);
        Assert.InRange(Convert.ToDouble(p[5]), 0, 1);
        var bronze = await engine.ExecuteAsync("SELECT resource_type, count(*) FROM fhir_resources WHERE source = 'ml' GROUP BY 1 ORDER BY 1");
        Assert.Equal(["Device:1", "Provenance:700", "RiskAssessment:700"], bronze.Rows.Select(r => $"{r[0]}:{Convert.ToInt64(r[1])}"));

        // Scoring the same rows again replaces the predictions (one per row and model version), it does not add to them.
        _time.Advance(TimeSpan.FromDays(1));
        var again = await new BatchScorer(lake.Store, engine, _time) { BatchRows = 250 }.ScoreAsync(spec, run.Model, null, null, rebuildFeatures: false);
        Assert.Equal(700L, Convert.ToInt64((await engine.ExecuteAsync("SELECT count(*) FROM ml.predictions")).Rows[0][0]));

        // The FHIR of the same feature table version is the same bytes, which the raw manifest knows: nothing lands twice.
        Assert.Equal(0, again.ResourcesLanded);
        Assert.Equal(700L, Convert.ToInt64((await engine.ExecuteAsync("SELECT count(*) FROM fhir_resources WHERE resource_type = 'RiskAssessment'")).Rows[0][0]));
    }

    [Fact]
    public async Task Erasure_marks_every_model_that_learned_from_the_patient_once_and_leaves_the_others()
    {
        var lake = await TrainingLake.WriteAsync(_folder.Path, 700, 23, menAtRandom: false);
        var spec = TrainingLake.Spec();
        using var engine = Engine(lake);
        var run = await new PipelineRunner(lake.Store, engine, _time).RunAsync(spec, "tester");
        var registry = new ModelRegistry(lake.Store, _time);
        static string Subject(string id) => "subject-of-" + id.Length;
        var participant = new ModelErasure(lake.Store, _time, Subject);

        var learned = await participant.EraseAsync(new PatientMatcher("p00001", []), dryRun: false, default);
        var again = await participant.EraseAsync(new PatientMatcher("p00001", []), dryRun: false, default);
        var stranger = await participant.EraseAsync(new PatientMatcher("nobody", []), dryRun: false, default);

        var marked = Assert.Single(learned);
        Assert.Equal((run.Model.Artifact, "marked", 1L), (marked.Key, marked.Action, marked.Removed));
        Assert.Single(again);
        Assert.Empty(stranger);
        var decision = Assert.Single(await registry.DecisionsAsync(spec.Name), d => d.Action == ModelActions.ErasureMarked);
        Assert.Contains("subject-of-6", decision.Reasons[0], StringComparison.Ordinal);
        Assert.DoesNotContain("p00001", decision.Reasons[0], StringComparison.Ordinal);
        Assert.Equal([LakeLayout.MlModels], participant.Prefixes);
    }
}
