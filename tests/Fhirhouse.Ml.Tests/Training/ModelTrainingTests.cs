using Fhirhouse.Errors;
using Fhirhouse.Lake.Tables;
using Fhirhouse.Ml.Features;
using Fhirhouse.Ml.Pipelines;
using Fhirhouse.Ml.Registry;
using Fhirhouse.Ml.Training;
using Fhirhouse.Query;
using Fhirhouse.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Fhirhouse.Ml.Tests.Training;

public sealed class ModelTrainingTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));

    public void Dispose() => _folder.Dispose();

    private static async Task<IReadOnlyList<FeatureRow>> RowsAsync(Features.FeatureLake lake, PipelineSpec spec, long version)
    {
        using var engine = new QueryEngine(lake.Store, new QueryOptions { Catalog = new LakeCatalog(lake.Store) });
        return (await FeatureRows.ReadAsync(engine, spec.Features, version, spec.Training.From, spec.Training.To)).Rows;
    }

    [Fact]
    public async Task A_model_learns_the_signal_and_the_same_rows_give_the_same_bytes()
    {
        var lake = await TrainingLake.WriteAsync(_folder.Path, 1200, 11, menAtRandom: false);
        var spec = TrainingLake.Spec();
        var (build, _) = await lake.BuildAsync(spec.Features);
        var rows = await RowsAsync(lake, spec, build.Version);

        var first = ModelTrainer.Train(spec, rows);
        var second = ModelTrainer.Train(spec, rows);

        Assert.Equal(1200, first.TrainingRows + first.HoldoutRows);
        Assert.InRange(first.HoldoutRows, 200, 400);
        Assert.True(first.Holdout.Overall.Auroc > 0.75, $"AUROC {first.Holdout.Overall.Auroc}");
        Assert.InRange(first.Holdout.Overall.Brier, 0, 0.25);
        Assert.Contains("sex=female", first.Holdout.Subgroups.Keys);
        Assert.Contains("age_band>=65", first.Holdout.Subgroups.Keys);
        Assert.Equal(first.Sha256, second.Sha256);
        Assert.True(Gates.Check(spec.Gates, first.Holdout).Passed, string.Join("; ", Gates.Check(spec.Gates, first.Holdout).Failures));
        var held = rows.Where(r => ModelTrainer.IsHoldout(r.PatientId, spec.Training)).Select(r => r.PatientId).ToHashSet();
        Assert.DoesNotContain(rows.Where(r => !ModelTrainer.IsHoldout(r.PatientId, spec.Training)), r => held.Contains(r.PatientId));

        var lightgbm = PipelineSpec.Parse(spec.Json.Replace("\"seed\": 7", "\"seed\": 7, \"trainer\": \"lightgbm\"", StringComparison.Ordinal));
        var boosted = ModelTrainer.Train(lightgbm, rows);
        Assert.True(boosted.Holdout.Overall.Auroc > 0.75, $"LightGBM AUROC {boosted.Holdout.Overall.Auroc}");
        Assert.Equal(boosted.Sha256, ModelTrainer.Train(lightgbm, rows).Sha256);
    }

    [Fact]
    public async Task A_registered_model_s_recorded_versions_re_read_its_rows_and_retrain_it_byte_for_byte_after_the_table_moved_on()
    {
        var lake = await TrainingLake.WriteAsync(_folder.Path, 900, 12, menAtRandom: false);
        var spec = TrainingLake.Spec();
        var registry = new ModelRegistry(lake.Store, _time);
        var (build, _) = await lake.BuildAsync(spec.Features);
        var trained = ModelTrainer.Train(spec, await RowsAsync(lake, spec, build.Version));
        var revision = await registry.SavePipelineAsync(spec, "tester");
        var registered = await registry.RegisterAsync(spec, revision, build, trained, Gates.Check(spec.Gates, trained.Holdout), "tester");

        // The lake changes and the features are rebuilt: the table's latest version holds other rows.
        await TrainingLake.WriteAsync(_folder.Path, 700, 99, menAtRandom: false);
        var (rebuilt, _) = await lake.BuildAsync(spec.Features);
        Assert.True(rebuilt.Version > build.Version);

        var model = (await registry.ListAsync(spec.Name)).Single();
        Assert.Equal(registered, model with { Holdout = registered.Holdout, Gates = registered.Gates, Encoding = registered.Encoding, Sources = registered.Sources, Training = registered.Training });
        Assert.Equal(build.Version, model.FeatureTableVersion);
        Assert.Equal(["views.condition", "views.encounter", "views.observation", "views.patient"], model.Sources.Select(s => s.Table));
        Assert.Equal(spec.Features.Hash, model.FeatureSpecHash);
        Assert.Equal(trained.Holdout.Overall.Auroc, model.Holdout.Overall.Auroc);
        var (again, pipelineRevision) = (await registry.GetPipelineAsync(spec.Name, model.PipelineRevision))!.Value;
        Assert.Equal(revision, pipelineRevision);
        var reread = await RowsAsync(lake, again, model.FeatureTableVersion);
        var original = await RowsAsync(lake, spec, build.Version);
        Assert.Equal(original.Count, reread.Count);
        Assert.Equal(original.Select(r => (r.PatientId, r.IndexTime, r.Label, string.Join(",", r.Values))), reread.Select(r => (r.PatientId, r.IndexTime, r.Label, string.Join(",", r.Values))));
        Assert.Equal(trained.Sha256, ModelTrainer.Train(spec, original).Sha256);
        var retrained = ModelTrainer.Train(again, reread);
        Assert.Equal(model.ArtifactSha256, retrained.Sha256);
        Assert.NotEqual(model.ArtifactSha256, ModelTrainer.Train(again, await RowsAsync(lake, again, rebuilt.Version)).Sha256);

        var scorer = await registry.LoadAsync(model);
        var rows = await RowsAsync(lake, spec, model.FeatureTableVersion);
        Assert.Equal(new ModelScorer(trained.Bytes, trained.Encoding).Score(rows), scorer.Score(rows));
    }

    [Fact]
    public async Task A_model_that_fails_a_subgroup_bound_is_rejected_never_promoted_and_says_why()
    {
        var lake = await TrainingLake.WriteAsync(_folder.Path, 1600, 13, menAtRandom: true);
        var spec = TrainingLake.Spec(maxSubgroupDrop: 0.1);
        var registry = new ModelRegistry(lake.Store, _time);
        var (build, _) = await lake.BuildAsync(spec.Features);
        var trained = ModelTrainer.Train(spec, await RowsAsync(lake, spec, build.Version));
        var gates = Gates.Check(spec.Gates, trained.Holdout);
        var model = await registry.RegisterAsync(spec, await registry.SavePipelineAsync(spec, "tester"), build, trained, gates, "tester");

        Assert.False(gates.Passed);
        Assert.Contains(gates.Failures, f => f.StartsWith("subgroup sex=male: AUROC", StringComparison.Ordinal) && f.Contains("below the overall", StringComparison.Ordinal));
        Assert.DoesNotContain(gates.Failures, f => f.Contains("female", StringComparison.Ordinal));
        var refused = await Assert.ThrowsAsync<FhirhouseException>(() => registry.PromoteAsync(spec.Name, model.Version, ModelRegistry.Champion, ["by hand"], "tester"));
        Assert.Equal(ErrorCodes.ModelRefused, refused.Code);
        Assert.Contains("subgroup sex=male", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await registry.AliasesAsync(spec.Name));
        var decision = Assert.Single(await registry.DecisionsAsync(spec.Name));
        Assert.Equal(ModelActions.Rejected, decision.Action);
        Assert.Equal(gates.Reasons, decision.Reasons);
    }

    [Fact]
    public async Task Promotion_moves_the_champion_and_rollback_brings_the_previous_one_back()
    {
        var lake = await TrainingLake.WriteAsync(_folder.Path, 600, 14, menAtRandom: false);
        var spec = TrainingLake.Spec();
        var registry = new ModelRegistry(lake.Store, _time);
        var (build, _) = await lake.BuildAsync(spec.Features);
        var trained = ModelTrainer.Train(spec, await RowsAsync(lake, spec, build.Version));
        var revision = await registry.SavePipelineAsync(spec, "tester");
        Assert.Equal(revision, await registry.SavePipelineAsync(spec, "tester"));
        var passed = new GateResult([], ["test"]);
        var v1 = await registry.RegisterAsync(spec, revision, build, trained, passed, "tester");
        _time.Advance(TimeSpan.FromMinutes(1));
        var v2 = await registry.RegisterAsync(spec, revision, build, trained, passed, "tester");
        Assert.Equal((1, 2), (v1.Version, v2.Version));

        await Assert.ThrowsAsync<FhirhouseException>(() => registry.GetAsync(spec.Name));
        _time.Advance(TimeSpan.FromMinutes(1));
        await registry.PromoteAsync(spec.Name, 1, ModelRegistry.Champion, ["first"], "tester");
        _time.Advance(TimeSpan.FromMinutes(1));
        var second = await registry.PromoteAsync(spec.Name, 2, ModelRegistry.Champion, ["better"], "tester");
        Assert.Equal(1, second.PreviousVersion);
        Assert.Equal(2, (await registry.GetAsync(spec.Name)).Version);
        _time.Advance(TimeSpan.FromMinutes(1));

        var back = await registry.RollbackAsync(spec.Name, ["v2 misbehaves"], "tester");

        Assert.Equal((1, 2), (back.Version, back.PreviousVersion));
        Assert.Equal(1, (await registry.GetAsync(spec.Name)).Version);
        _time.Advance(TimeSpan.FromMinutes(1));
        var refused = await Assert.ThrowsAsync<FhirhouseException>(() => registry.RollbackAsync(spec.Name, ["again"], "tester"));
        Assert.Contains("first champion", refused.Message, StringComparison.Ordinal);
        Assert.Equal([ModelActions.Registered, ModelActions.Registered, ModelActions.Promoted, ModelActions.Promoted, ModelActions.RolledBack], (await registry.DecisionsAsync(spec.Name)).Select(d => d.Action));
    }
}
