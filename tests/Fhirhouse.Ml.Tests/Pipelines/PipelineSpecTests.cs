using Fhirhouse.Ml.Features;
using Fhirhouse.Ml.Pipelines;
using Fhirhouse.Ml.Tests.Features;

namespace Fhirhouse.Ml.Tests.Pipelines;

public sealed class PipelineSpecTests
{
    [Fact]
    public void A_spec_reads_with_its_defaults()
    {
        var spec = PipelineSpec.Parse(FeatureLake.SpecJson);

        Assert.Equal("test_onset", spec.Name);
        Assert.Equal("ml.features_test_onset", spec.Features.TableName);
        Assert.Equal(7, spec.Features.Features.Count);
        Assert.Equal(FeatureAggregate.Value, spec.Features.Features[0].Aggregate);
        Assert.True(spec.Features.Features[1].Categorical);
        Assert.Equal(730, spec.Features.Features[2].WindowDays);
        Assert.Equal(new LabelDefinition("cond", "code = 'E11.9'", 365, true), spec.Features.Label);
        Assert.Equal("fasttree", spec.Training.Trainer);
        Assert.Equal(0.25, spec.Training.Holdout);
        Assert.Equal(0.6, spec.Gates.MinAuroc);
        Assert.Equal("age_band=40-65", spec.Features.Subgroups[1].GroupOf(52.3));
        Assert.Equal("age_band<40", spec.Features.Subgroups[1].GroupOf(12.0));
        Assert.Equal("age_band>=65", spec.Features.Subgroups[1].GroupOf(65.0));
        Assert.Equal("sex=female", spec.Features.Subgroups[0].GroupOf("female"));
    }

    [Fact]
    public void The_feature_hash_ignores_layout_and_the_gates_but_not_the_features()
    {
        var spec = PipelineSpec.Parse(FeatureLake.SpecJson);
        var relaid = PipelineSpec.Parse(FeatureLake.SpecJson.Replace("\n", "\n\n", StringComparison.Ordinal).Replace("\"gates\": {}", "\"gates\": { \"min_auroc\": 0.7 }", StringComparison.Ordinal));
        var changed = PipelineSpec.Parse(FeatureLake.SpecJson.Replace("\"window_days\": 730", "\"window_days\": 731", StringComparison.Ordinal));

        Assert.Equal(spec.Features.Hash, relaid.Features.Hash);
        Assert.NotEqual(spec.Hash, relaid.Hash);
        Assert.NotEqual(spec.Features.Hash, changed.Features.Hash);
    }

    [Theory]
    [InlineData("\"name\": \"test_onset\"", "\"name\": \"Test-Onset\"", "name: 'Test-Onset' is not a name here")]
    [InlineData("\"aggregate\": \"max\"", "\"aggregate\": \"median\"", "features[3].aggregate: 'median' is not an aggregate")]
    [InlineData("\"window_days\": 730", "\"window_days\": 0", "features[2].window_days: must be between 1 and 36500 (got 0)")]
    [InlineData("\"source\": \"obs\", \"where\": \"code = '4548-4'\", \"aggregate\": \"count\"", "\"source\": \"labs\", \"where\": \"code = '4548-4'\", \"aggregate\": \"count\"", "features[4].source: no source is named 'labs'")]
    [InlineData("\"horizon_days\": 365", "\"horizon\": 365", "label.horizon: unknown member")]
    [InlineData("\"name\": \"hypertension\"", "\"name\": \"label\"", "features[6].name: 'label' is a column of every feature table")]
    [InlineData("\"bands\": [40, 65]", "\"bands\": [65, 40]", "subgroups[1].bands: the bands must increase")]
    [InlineData("\"from\": \"2022-01-01\"", "\"from\": \"2022\"", "training.from: '2022' is not a date")]
    [InlineData("\"gates\": {}", "\"gates\": { \"min_auroc\": 1.5 }", "gates.min_auroc: must be between 0 and 1 (got 1.5)")]
    [InlineData("{ \"name\": \"age\", \"source\": \"patient\"", "{ \"name\": \"age\", \"source\": \"patient\", \"aggregate\": \"last\"", "features[0].aggregate: 'patient' is a static source")]
    public void A_bad_spec_is_refused_naming_where(string from, string to, string expected)
    {
        var json = FeatureLake.SpecJson.Replace(from, to, StringComparison.Ordinal);
        Assert.NotEqual(FeatureLake.SpecJson, json);

        var error = Assert.Throws<MlSpecException>(() => PipelineSpec.Parse(json));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal("ml.invalid_spec", error.Code);
    }
}
