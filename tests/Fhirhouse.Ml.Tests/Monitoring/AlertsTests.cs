using Fhirhouse.Ml.Monitoring;
using Fhirhouse.Ml.Statistics;

namespace Fhirhouse.Ml.Tests.Monitoring;

public sealed class AlertsTests
{
    private static readonly DateTimeOffset March = new(2022, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static DatasetDrift Data(params (string Feature, double Distance)[] features)
    {
        var drifts = features.Select(f => new FeatureDrift(f.Feature, DriftMethod.NormalisedWasserstein, f.Distance, 0.1, f.Distance >= 0.1)).ToList();
        return DriftTests.Dataset(drifts);
    }

    private static WindowResult Window(int month, DatasetDrift? data, double? estimated = 0.80, double? realised = null, double? domain = null) =>
        new(March.AddMonths(month), March.AddMonths(month + 1), 1000, realised is null ? 0 : 400, realised is null ? 0 : 80,
            data, data is null ? null : new FeatureDrift("prediction", DriftMethod.NormalisedWasserstein, 0.02, 0.1, false),
            domain, domain is null ? null : domain >= 0.55, data is null ? null : estimated, realised, realised is null ? null : 0.12, 0.2,
            data is null ? "50 rows, fewer than MinWindowRows (100): not tested" : null);

    private static readonly DatasetDrift Drifted = Data(("a", 0.31), ("b", 0.12), ("c", 0.02), ("d", 0.5));
    private static readonly DatasetDrift Calm = Data(("a", 0.05), ("b", 0.12), ("c", 0.02), ("d", 0.01));

    [Fact]
    public void Dataset_drift_alerts_after_two_consecutive_tested_windows_naming_the_most_drifted_features_first()
    {
        var report = new MonitoringReport(0.81, 5000, [Window(0, Drifted), Window(1, Calm), Window(2, Drifted), Window(3, null), Window(4, Drifted), Window(5, Drifted)]);
        var alerts = Alerts.Evaluate(report).Where(a => a.Rule == "dataset-drift").ToList();
        Assert.Equal([March.AddMonths(4), March.AddMonths(5)], alerts.Select(a => a.Window));
        Assert.Equal(["d", "a", "b"], alerts[0].Features);
        Assert.Equal("dataset drift in 2022-05 and 2022-07: 3 of 4 features (d: Wasserstein 0.5 >= 0.1, a: Wasserstein 0.31 >= 0.1, b: Wasserstein 0.12 >= 0.1)", alerts[0].Reason);
        Assert.StartsWith("dataset drift in 2022-07 and 2022-08: ", alerts[1].Reason, StringComparison.Ordinal);

        var three = Alerts.Evaluate(report, new AlertRules { DatasetDriftWindows = 3 }).Where(a => a.Rule == "dataset-drift").ToList();
        var alert = Assert.Single(three);
        Assert.Equal(March.AddMonths(5), alert.Window);
        Assert.StartsWith("dataset drift in 2022-05, 2022-07 and 2022-08: ", alert.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Estimated_and_realised_AUROC_drops_alert_only_beyond_their_bounds()
    {
        var report = new MonitoringReport(0.80, 5000, [Window(0, Calm, estimated: 0.76, realised: 0.74), Window(1, Calm, estimated: 0.70, realised: 0.76)]);
        Assert.Empty(Alerts.Evaluate(report));   // by default a drop must last two windows
        var lasting = new MonitoringReport(0.80, 5000, [Window(0, Calm, estimated: 0.74, realised: 0.74), Window(1, Calm, estimated: 0.70, realised: 0.72), Window(2, Calm, estimated: 0.79, realised: 0.70)]);
        Assert.Equal(["estimated-auroc-drop@2022-04", "realised-auroc-drop@2022-04", "realised-auroc-drop@2022-05"],
            Alerts.Evaluate(lasting).Select(a => $"{a.Rule}@{a.Window:yyyy-MM}"));
        var alerts = Alerts.Evaluate(report, new AlertRules { AurocDropWindows = 1 });
        var estimated = Assert.Single(alerts, a => a.Rule == "estimated-auroc-drop");
        Assert.Equal(March.AddMonths(1), estimated.Window);
        Assert.Equal("estimated AUROC 0.7 in 2022-04 (1000 rows, no labels needed), 0.1 below the reference's 0.8 (bound 0.05)", estimated.Reason);
        var realised = Assert.Single(alerts, a => a.Rule == "realised-auroc-drop");
        Assert.Equal(March, realised.Window);
        Assert.Contains("realised AUROC 0.74 in 2022-03 (400 labelled rows, 80 positive), 0.06 below the reference's 0.8", realised.Reason, StringComparison.Ordinal);
        Assert.Equal(["b"], realised.Features);

        Assert.Empty(Alerts.Evaluate(report, new AlertRules { AurocDropWindows = 1, MaxEstimatedAurocDrop = 0.15, MaxRealisedAurocDrop = 0.07 }));
    }

    [Fact]
    public void Multivariate_drift_alerts_when_the_domain_classifier_tells_two_windows_running_apart_unless_turned_off()
    {
        var report = new MonitoringReport(0.80, 5000, [Window(0, Calm, domain: 0.52), Window(1, Calm, domain: 0.67), Window(2, Calm, domain: 0.52), Window(3, Calm, domain: 0.61), Window(4, Calm, domain: 0.66)]);
        var alert = Assert.Single(Alerts.Evaluate(report));
        Assert.Equal(("multivariate-drift", March.AddMonths(4)), (alert.Rule, alert.Window));
        Assert.StartsWith("a classifier tells 2022-07 from the reference with cross-validated AUROC 0.66", alert.Reason, StringComparison.Ordinal);
        Assert.Equal([March.AddMonths(1), March.AddMonths(3), March.AddMonths(4)], Alerts.Evaluate(report, new AlertRules { MultivariateDriftWindows = 1 }).Select(a => a.Window));
        Assert.Empty(Alerts.Evaluate(report, new AlertRules { MultivariateDrift = false }));
    }

    [Fact]
    public void A_p_value_drift_ranks_by_how_far_below_its_threshold_and_reads_as_a_test()
    {
        var data = DriftTests.Dataset(
        [
            new FeatureDrift("sex", DriftMethod.ChiSquare, 0.001, 0.05, true),
            new FeatureDrift("age", DriftMethod.KolmogorovSmirnov, 0.00001, 0.05, true),
            new FeatureDrift("bmi", DriftMethod.NormalisedWasserstein, 0.2, 0.1, true),
        ]);
        var report = new MonitoringReport(0.80, 500, [Window(0, data), Window(1, data)]);
        var alert = Assert.Single(Alerts.Evaluate(report));
        Assert.Equal(["age", "sex", "bmi"], alert.Features);
        Assert.Equal("dataset drift in 2022-03 and 2022-04: 3 of 3 features (age: Kolmogorov-Smirnov p < 0.0001 < 0.05, sex: chi-square p 0.001 < 0.05, bmi: Wasserstein 0.2 >= 0.1)", alert.Reason);
    }
}
