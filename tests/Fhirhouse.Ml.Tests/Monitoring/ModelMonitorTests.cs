using Fhirhouse.Delta;
using Fhirhouse.Errors;
using Fhirhouse.Lake.Tables;
using Fhirhouse.Ml.Features;
using Fhirhouse.Ml.Monitoring;
using Fhirhouse.Ml.Pipelines;
using Fhirhouse.Ml.Registry;
using Fhirhouse.Ml.Tests.Training;
using Fhirhouse.Query;
using Fhirhouse.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Fhirhouse.Ml.Tests.Monitoring;

/// <summary>The monitor on the lake (reference by time travel, ml.monitoring rows) and the retraining window.</summary>
public sealed class ModelMonitorTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 4, 9, 0, 0, TimeSpan.Zero));

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Monitoring_writes_one_row_per_check_and_window_and_replaces_them_when_run_again()
    {
        var lake = await TrainingLake.WriteAsync(_folder.Path, 1400, 31, menAtRandom: false);
        var spec = TrainingLake.Spec();
        using var engine = new QueryEngine(lake.Store, new QueryOptions { Catalog = new LakeCatalog(lake.Store) });
        var run = await new PipelineRunner(lake.Store, engine, _time).RunAsync(spec, "tester");
        var monitor = new ModelMonitor(lake.Store, engine, _time);

        var nothing = await Assert.ThrowsAsync<FhirhouseException>(() => monitor.RunAsync(spec, run.Model));
        Assert.Contains("nothing to monitor yet", nothing.Message, StringComparison.Ordinal);

        // The training year itself, month by month: no drift against the model's own holdout.
        var first = await monitor.RunAsync(spec, run.Model, from: spec.Training.From, options: new MonitorOptions { DomainClassifier = false });
        Assert.Equal(run.Model.HoldoutRows, first.Report.ReferenceRows);
        Assert.Equal(1400, first.Input.Current.Count);
        Assert.InRange(first.Report.Windows.Count, 11, 12);
        Assert.DoesNotContain(first.Report.Windows, w => w.Data?.Drifted == true);
        var count = Convert.ToInt64((await engine.ExecuteAsync("SELECT count(*) FROM ml.monitoring")).Rows[0][0]);
        var tested = first.Report.Windows.Count(w => w.Skipped is null);
        var skipped = first.Report.Windows.Count - tested;
        Assert.Equal((tested * (1 + spec.Features.Features.Count + 4)) + skipped, count);   // dataset, each feature, prediction, estimated and realised AUROC, mean score

        _time.Advance(TimeSpan.FromDays(1));
        var again = await monitor.RunAsync(spec, run.Model, from: spec.Training.From, options: new MonitorOptions { DomainClassifier = false });
        Assert.True(again.MonitoringVersion > first.MonitoringVersion);
        Assert.Equal(count, Convert.ToInt64((await engine.ExecuteAsync("SELECT count(*) FROM ml.monitoring")).Rows[0][0]));
        var realised = await engine.ExecuteAsync("SELECT count(*) FROM ml.monitoring WHERE \"check\" = 'realised-auroc' AND score BETWEEN 0.5 AND 1 AND model_version = 1");
        Assert.Equal((long)tested, Convert.ToInt64(realised.Rows[0][0]));
    }

    [Fact]
    public async Task A_model_is_monitored_only_with_the_features_it_learned()
    {
        var lake = await TrainingLake.WriteAsync(_folder.Path, 500, 32, menAtRandom: false);
        var spec = TrainingLake.Spec();
        using var engine = new QueryEngine(lake.Store, new QueryOptions { Catalog = new LakeCatalog(lake.Store) });
        var run = await new PipelineRunner(lake.Store, engine, _time).RunAsync(spec, "tester");
        var other = PipelineSpec.Parse(spec.Json.Replace("\"window_days\": 365", "\"window_days\": 200", StringComparison.Ordinal));

        var refused = await Assert.ThrowsAsync<FhirhouseException>(() => new ModelMonitor(lake.Store, engine, _time).RunAsync(other, run.Model, from: spec.Training.From));

        Assert.Equal(ErrorCodes.ModelRefused, refused.Code);
        Assert.Contains("revision 1", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_retraining_window_ends_where_outcomes_stop_being_known()
    {
        static FeatureRow Row(string at, int? label) => new("p", DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture), null, [], label);

        var rows = new[] { Row("2023-03-05T10:00:00Z", 0), Row("2024-11-20T10:00:00Z", 1), Row("2024-12-02T10:00:00Z", null), Row("2025-06-01T10:00:00Z", null), Row("2024-12-30T10:00:00Z", 0) };
        Assert.Equal((new DateTimeOffset(2023, 6, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2024, 12, 1, 0, 0, 0, TimeSpan.Zero)), Retraining.RecentWindow(rows, 18));
        var known = new[] { Row("2023-03-05T10:00:00Z", 0), Row("2023-08-20T10:00:00Z", 1) };
        Assert.Equal((new DateTimeOffset(2022, 9, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2023, 9, 1, 0, 0, 0, TimeSpan.Zero)), Retraining.RecentWindow(known, 12));
        Assert.Null(Retraining.RecentWindow([Row("2023-03-05T10:00:00Z", null)], 12));
        Assert.Null(Retraining.RecentWindow([], 12));
    }
}
