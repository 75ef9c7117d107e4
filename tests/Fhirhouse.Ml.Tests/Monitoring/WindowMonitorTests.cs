using Fhirhouse.Ml.Features;
using Fhirhouse.Ml.Monitoring;
using Fhirhouse.Ml.Statistics;
using Xunit.Abstractions;

namespace Fhirhouse.Ml.Tests.Monitoring;

public sealed class WindowMonitorTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Origin = new(2022, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static MonitoringReport Monitor(
        Simulator simulator, (List<FeatureRow> Rows, List<double> Scores) reference, (List<FeatureRow> Rows, List<double> Scores) current, MonitorOptions options) =>
        WindowMonitor.Run(new MonitorInput(simulator.Features, reference.Rows, reference.Scores, current.Rows, current.Scores), options);

    private static (List<FeatureRow> Rows, List<double> Scores) Months(Simulator simulator, Random random, int months, int rowsPerMonth, DateTimeOffset from, string prefix, Func<int, Shift>? shift = null)
    {
        var rows = new List<FeatureRow>();
        var scores = new List<double>();
        for (var m = 0; m < months; m++)
        {
            var (r, s) = simulator.Rows(random, rowsPerMonth, from.AddMonths(m), shift?.Invoke(m), $"{prefix}{m}-");
            rows.AddRange(r);
            scores.AddRange(s);
        }

        return (rows, scores);
    }

    [Fact]
    public void Under_covariate_shift_the_AUROC_estimated_without_labels_is_within_0_03_of_the_realised_one()
    {
        const int WindowRows = 2000;
        var simulator = new Simulator();
        var shifts = new[] { 0.0, 0.5, 1.0, 1.5 };
        var errors = new List<double>();
        var uncalibrated = new List<double>();
        var realisedRange = (Min: 1.0, Max: 0.0);
        for (var run = 0; run < 10; run++)
        {
            var (seed, miscalibrated) = ((run / 2) + 1, run % 2 == 1);
            var random = new Random(seed);
            var reference = Months(simulator, random, 12, 20_000 / 12, Origin, "r");
            var current = Months(simulator, random, shifts.Length, WindowRows, Origin.AddYears(1), "w", m =>
                new Shift([shifts[m], 0, -shifts[m], 0, 0, 0, shifts[m] / 2, 0], CategoryShare: shifts[m] / 5));
            if (miscalibrated)
            {
                // A model that ranks as the truth does but overstates every risk: the calibrator must undo it.
                reference = (reference.Rows, [.. reference.Scores.Select(Math.Sqrt)]);
                current = (current.Rows, [.. current.Scores.Select(Math.Sqrt)]);
                var window = current.Scores.Take(WindowRows).ToArray();
                var labels = current.Rows.Take(WindowRows).Select(r => r.Label == 1).ToArray();
                uncalibrated.Add(Math.Abs(PerformanceEstimate.Auroc(window, window) - ClassifierMetrics.Auroc(window, labels)));
            }

            var report = Monitor(simulator, reference, current, new MonitorOptions { DomainClassifier = false });
            Assert.Equal(shifts.Length, report.Windows.Count);
            foreach (var window in report.Windows)
            {
                Assert.Equal(WindowRows, window.Rows);
                var error = Math.Abs(window.EstimatedAuroc!.Value - window.RealisedAuroc!.Value);
                errors.Add(error);
                realisedRange = (Math.Min(realisedRange.Min, window.RealisedAuroc.Value), Math.Max(realisedRange.Max, window.RealisedAuroc.Value));
                Assert.True(error < 0.03, $"seed {seed}{(miscalibrated ? " (scores miscalibrated)" : "")}, window {window.Start:yyyy-MM}: estimated {window.EstimatedAuroc:F4}, realised {window.RealisedAuroc:F4}");
            }

            // The shift is real: under the largest, the shifted features drift.
            Assert.Equal(["c0", "x0", "x2", "x6"], report.Windows[^1].Data!.Features.Where(f => f.Drifted).Select(f => f.Feature).Order(StringComparer.Ordinal));
        }

        output.WriteLine($"CBPE: windows of {WindowRows} rows, 5 seeds x shifts {string.Join("/", shifts)} sd x scores true or miscalibrated (sqrt p) ({errors.Count} windows), realised AUROC {realisedRange.Min:F3}-{realisedRange.Max:F3}: |estimated - realised| max {errors.Max():F4}, mean {errors.Average():F4}; without the calibrator, on the miscalibrated scores' first window: mean {uncalibrated.Average():F4}");
        Assert.True(uncalibrated.Min() > 0.03, "the miscalibrated scores would mislead an estimate without the calibrator");
    }

    [Fact]
    public void On_stationary_data_fewer_than_5_percent_of_monthly_windows_raise_a_dataset_drift_alarm()
    {
        const int Seeds = 20, Windows = 36, WindowRows = 500, ReferenceRows = 6000;
        var simulator = new Simulator();
        int tested = 0, drifted = 0, alerts = 0, featureTests = 0, featureDrifts = 0, predictionDrifts = 0;
        for (var seed = 1; seed <= Seeds; seed++)
        {
            var random = new Random(1000 + seed);
            var reference = Months(simulator, random, 12, ReferenceRows / 12, Origin, "r");
            var current = Months(simulator, random, Windows, WindowRows, Origin.AddYears(1), "w");
            var report = Monitor(simulator, reference, current, new MonitorOptions { DomainClassifier = false });
            Assert.Equal(Windows, report.Windows.Count);
            foreach (var window in report.Windows)
            {
                tested++;
                drifted += window.Data!.Drifted ? 1 : 0;
                featureTests += window.Data.Features.Count;
                featureDrifts += window.Data.Features.Count(f => f.Drifted);
                predictionDrifts += window.Prediction!.Drifted ? 1 : 0;
            }

            alerts += Alerts.Evaluate(report).Count(a => a.Rule == "dataset-drift");
        }

        var rate = (double)drifted / tested;
        output.WriteLine($"stationary: {Seeds} seeds x {Windows} monthly windows of {WindowRows} rows against a reference of {ReferenceRows}: dataset drift in {drifted} of {tested} windows ({rate:P2}), dataset-drift alerts {alerts} ({(double)alerts / tested:P2}); feature drift {featureDrifts} of {featureTests} tests ({(double)featureDrifts / featureTests:P2}); prediction drift {predictionDrifts} ({(double)predictionDrifts / tested:P2})");
        Assert.Equal(Seeds * Windows, tested);
        Assert.True(rate < 0.05, $"dataset drift in {rate:P2} of stationary windows");
        Assert.True((double)alerts / tested < 0.05);
    }

    [Fact]
    public void On_stationary_data_the_domain_classifier_flags_fewer_than_5_percent_of_windows()
    {
        var simulator = new Simulator();
        var aurocs = new List<double>();
        for (var seed = 1; seed <= 12; seed++)
        {
            var random = new Random(2000 + seed);
            var reference = Months(simulator, random, 12, 500, Origin, "r");
            var current = Months(simulator, random, 4, 500, Origin.AddYears(1), "w");
            var report = Monitor(simulator, reference, current, new MonitorOptions());
            Assert.All(report.Windows, w => Assert.Equal(w.DomainAuroc >= 0.55, w.MultivariateDrift));
            aurocs.AddRange(report.Windows.Select(w => w.DomainAuroc!.Value));
        }

        var mean = aurocs.Average();
        var sd = Math.Sqrt(aurocs.Sum(a => (a - mean) * (a - mean)) / (aurocs.Count - 1));
        var flagged = aurocs.Count(a => a >= 0.55);
        output.WriteLine($"domain classifier on stationary data: {aurocs.Count} windows of 500 rows against 6000 (5000 sampled): cross-validated AUROC {aurocs.Min():F3}-{aurocs.Max():F3}, mean {mean:F3}, sd {sd:F3}; multivariate drift in {flagged} ({(double)flagged / aurocs.Count:P1})");
        Assert.InRange(mean, 0.48, 0.52);
        Assert.True((double)flagged / aurocs.Count < 0.05);
    }

    [Fact]
    public void A_shift_in_3_of_5_features_is_detected_in_its_first_window_and_names_those_features()
    {
        const int Start = 3;
        var simulator = new Simulator(numeric: 5, categorical: 0);
        var random = new Random(99);
        var reference = Months(simulator, random, 12, 500, Origin, "r");
        var current = Months(simulator, random, 6, 1000, Origin.AddYears(1), "w", m => new Shift(m >= Start ? [0.4, 0, 0.4, -0.4, 0] : []));
        var report = Monitor(simulator, reference, current, new MonitorOptions { DomainClassifier = false });
        Assert.Equal(6, report.Windows.Count);
        for (var m = 0; m < 6; m++)
        {
            var data = report.Windows[m].Data!;
            var names = data.Features.Where(f => f.Drifted).Select(f => f.Feature).Order(StringComparer.Ordinal).ToArray();
            output.WriteLine($"{report.Windows[m].Start:yyyy-MM}: dataset drift {data.Drifted} ({data.Share:P0}): {string.Join(", ", data.Features.Select(f => $"{f.Feature} {f.Score:F3}"))}");
            Assert.Equal(m >= Start, data.Drifted);
            Assert.Equal(m >= Start ? ["x0", "x2", "x3"] : [], names);
        }

        var alerts = Alerts.Evaluate(report);
        var drift = Assert.Single(alerts, a => a.Rule == "dataset-drift" && a.Window == report.Windows[Start + 1].Start);
        Assert.Equal(["x0", "x2", "x3"], drift.Features.Order(StringComparer.Ordinal));
        Assert.StartsWith("dataset drift in 2023-04 and 2023-05: 3 of 5 features (", drift.Reason, StringComparison.Ordinal);
        Assert.Equal(2, alerts.Count(a => a.Rule == "dataset-drift"));
    }

    [Fact]
    public void The_domain_classifier_flags_a_change_of_correlation_alone_that_the_univariate_tests_miss()
    {
        var simulator = new Simulator(numeric: 4, categorical: 1);
        var random = new Random(7);
        var reference = Months(simulator, random, 12, 400, Origin, "r");
        var current = Months(simulator, random, 2, 1500, Origin.AddYears(1), "w", m => new Shift([], Correlation: m == 1 ? 0.9 : 0));
        var report = Monitor(simulator, reference, current, new MonitorOptions());
        var (stationary, correlated) = (report.Windows[0], report.Windows[1]);
        output.WriteLine($"domain AUROC: stationary {stationary.DomainAuroc:F3}, correlation 0 -> 0.9 {correlated.DomainAuroc:F3}; univariate drift share {correlated.Data!.Share:P0}");
        Assert.False(stationary.MultivariateDrift);
        Assert.True(stationary.DomainAuroc < 0.55);
        Assert.False(correlated.Data.Drifted);
        Assert.DoesNotContain(correlated.Data.Features, f => f.Drifted);
        Assert.True(correlated.MultivariateDrift);
        Assert.True(correlated.DomainAuroc >= 0.55);
        var alert = Assert.Single(Alerts.Evaluate(report, new AlertRules { MultivariateDriftWindows = 1 }), a => a.Rule == "multivariate-drift");
        Assert.Equal(correlated.Start, alert.Window);
    }

    [Fact]
    public void A_window_below_the_minimum_rows_is_reported_with_its_reason_and_not_tested()
    {
        var simulator = new Simulator(numeric: 3, categorical: 1);
        var random = new Random(1);
        var reference = Months(simulator, random, 1, 2000, Origin, "r");
        var current = Months(simulator, random, 2, 0, Origin.AddYears(1), "w");
        current.Rows.AddRange(simulator.Rows(random, 99, Origin.AddYears(1), patientPrefix: "a").Rows);
        current.Rows.AddRange(simulator.Rows(random, 100, Origin.AddYears(1).AddMonths(1), patientPrefix: "b").Rows);
        current.Scores.AddRange(Enumerable.Repeat(0.25, 199));
        var report = Monitor(simulator, reference, current, new MonitorOptions { DomainClassifier = false });
        var (small, enough) = (report.Windows[0], report.Windows[1]);
        Assert.Equal((99, 100), (small.Rows, enough.Rows));
        Assert.Equal("99 rows, fewer than MinWindowRows (100): not tested", small.Skipped);
        Assert.Null(small.Data);
        Assert.Null(small.Prediction);
        Assert.Null(small.EstimatedAuroc);
        Assert.Equal(0.25, small.MeanScore, 12);
        Assert.Null(enough.Skipped);
        Assert.NotNull(enough.Data);
        Assert.NotNull(enough.EstimatedAuroc);
    }

    [Fact]
    public void Windows_are_calendar_months_in_UTC_of_the_index_time()
    {
        var simulator = new Simulator(numeric: 2, categorical: 0);
        var random = new Random(2);
        var reference = Months(simulator, random, 1, 500, Origin, "r");
        var times = new[]
        {
            new DateTimeOffset(2022, 1, 31, 23, 30, 0, TimeSpan.FromHours(-2)), // 1 February, 01:30 UTC
            new DateTimeOffset(2022, 3, 1, 0, 30, 0, TimeSpan.FromHours(1)), // 28 February, 23:30 UTC
            new DateTimeOffset(2022, 1, 15, 12, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(2022, 5, 1, 0, 0, 0, TimeSpan.Zero),
        };
        var rows = times.Select((t, i) => new FeatureRow($"w{i}", t, null, [1.0, 2.0], null)).ToList();
        var input = new MonitorInput(simulator.Features, reference.Rows, reference.Scores, rows, [0.1, 0.2, 0.3, 0.4]);
        var monthly = WindowMonitor.Run(input, new MonitorOptions { DomainClassifier = false });
        Assert.Equal(
            [(new DateTimeOffset(2022, 1, 1, 0, 0, 0, TimeSpan.Zero), 1), (new DateTimeOffset(2022, 2, 1, 0, 0, 0, TimeSpan.Zero), 2), (new DateTimeOffset(2022, 5, 1, 0, 0, 0, TimeSpan.Zero), 1)],
            monthly.Windows.Select(w => (w.Start, w.Rows)));
        Assert.All(monthly.Windows, w => Assert.Equal(w.Start.AddMonths(1), w.End));
        Assert.Equal(0.15, monthly.Windows[1].MeanScore, 12);

        var quarterly = WindowMonitor.Run(input, new MonitorOptions { DomainClassifier = false, WindowMonths = 3 });
        Assert.Equal([(new DateTimeOffset(2022, 1, 1, 0, 0, 0, TimeSpan.Zero), 3), (new DateTimeOffset(2022, 4, 1, 0, 0, 0, TimeSpan.Zero), 1)], quarterly.Windows.Select(w => (w.Start, w.Rows)));
        Assert.Equal(new DateTimeOffset(2022, 7, 1, 0, 0, 0, TimeSpan.Zero), quarterly.Windows[1].End);
    }

    [Fact]
    public void Bad_settings_and_inputs_are_refused_naming_what_is_wrong()
    {
        var simulator = new Simulator(numeric: 2, categorical: 0);
        var reference = simulator.Rows(new Random(4), 300, Origin);
        var input = new MonitorInput(simulator.Features, reference.Rows, reference.Scores, reference.Rows, reference.Scores);
        Assert.Contains("WindowMonths must be at least 1 (got 0)", Assert.Throws<ArgumentException>(() => WindowMonitor.Run(input, new MonitorOptions { WindowMonths = 0 })).Message, StringComparison.Ordinal);
        Assert.Contains("DomainClassifierFolds", Assert.Throws<ArgumentException>(() => WindowMonitor.Run(input, new MonitorOptions { DomainClassifierFolds = 1 })).Message, StringComparison.Ordinal);
        Assert.Contains("300 rows, 299 scores", Assert.Throws<ArgumentException>(() => WindowMonitor.Run(input with { ReferenceScores = reference.Scores.Skip(1).ToList() })).Message, StringComparison.Ordinal);
        var unlabelled = reference.Rows.Select(r => r with { Label = 0 }).ToList();
        Assert.Contains("both outcomes", Assert.Throws<ArgumentException>(() => WindowMonitor.Run(input with { Reference = unlabelled })).Message, StringComparison.Ordinal);
    }
}
