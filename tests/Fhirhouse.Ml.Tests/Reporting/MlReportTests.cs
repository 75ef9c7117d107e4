using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Fhirhouse.Ml.Monitoring;
using Fhirhouse.Ml.Reporting;
using Xunit.Abstractions;

namespace Fhirhouse.Ml.Tests.Reporting;

public sealed class MlReportTests(ITestOutputHelper output)
{
    [Fact]
    public void Json_holds_every_window_its_feature_drift_and_every_decision_reason()
    {
        var input = ReportInputs.Build();
        using var json = JsonDocument.Parse(MlReport.Json(input));
        var root = json.RootElement;

        Assert.Equal("readmission", root.GetProperty("model").GetString());
        Assert.Equal(1, root.GetProperty("monitored").GetProperty("version").GetInt64());
        var windows = root.GetProperty("windows").EnumerateArray().ToList();
        Assert.Equal(["2024-01", "2024-02", "2024-03", "2024-04", "2024-05"], windows.Select(w => w.GetProperty("label").GetString()));
        Assert.Equal(ReportInputs.SkipReason, windows[2].GetProperty("skipped").GetString());
        Assert.Equal(JsonValueKind.Null, windows[2].GetProperty("data").ValueKind);
        var age = windows[4].GetProperty("data").GetProperty("features").EnumerateArray().Single(f => f.GetProperty("feature").GetString() == "age");
        Assert.Equal("kolmogorovSmirnov", age.GetProperty("method").GetString());
        Assert.Equal(1e-6, age.GetProperty("score").GetDouble());
        Assert.Equal(0.05, age.GetProperty("threshold").GetDouble());
        Assert.True(age.GetProperty("drifted").GetBoolean());
        Assert.Equal(Math.Log(1e-6) / Math.Log(0.05), age.GetProperty("relative").GetDouble(), 12);
        Assert.Equal(2, windows[4].GetProperty("data").GetProperty("driftedFeatures").GetInt32());
        Assert.Equal(0.74, windows[4].GetProperty("estimatedAuroc").GetDouble(), 12);
        Assert.Equal(JsonValueKind.Null, windows[4].GetProperty("realisedAuroc").ValueKind);
        Assert.Equal(["age", "sex", "lab_0"], root.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("name").GetString()));

        var reasons = root.GetProperty("decisions").EnumerateArray().SelectMany(d => d.GetProperty("reasons").EnumerateArray().Select(r => r.GetString())).ToList();
        Assert.Equal(input.Decisions.SelectMany(d => d.Reasons), reasons);
        Assert.Contains(ReportInputs.PromotionReason, reasons);
        Assert.Equal(2, root.GetProperty("alerts").GetArrayLength());
        var v2 = root.GetProperty("versions")[1];
        Assert.Equal("ml.features_readmission", v2.GetProperty("featureTable").GetString());
        Assert.Equal(12, v2.GetProperty("featureTableVersion").GetInt64());
        Assert.Equal(0.80, v2.GetProperty("holdout").GetProperty("auroc").GetDouble());
        Assert.StartsWith("spec02", v2.GetProperty("specHash").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("Dataset drift in 2024-05, in 2 of 3 features (1 of 4 windows analysed)", root.GetProperty("summary").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Html_holds_the_figures_the_encoded_reasons_and_the_skipped_window()
    {
        var html = MlReport.Html(ReportInputs.Build());

        // Drift share, drift scores, performance, mean score, and the two drifted features' distributions.
        Assert.Equal(6, Regex.Count(html, "<img "));
        Assert.Equal(6, Regex.Count(html, "src=\"data:image/png;base64,[A-Za-z0-9+/=]{1000,}\""));
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("calibration error 0.04 &lt; 0.1", html, StringComparison.Ordinal);
        Assert.DoesNotContain("0.04 < 0.1", html, StringComparison.Ordinal);
        Assert.Contains("estimated AUROC 0.74 &lt; 0.77", html, StringComparison.Ordinal);
        Assert.Contains("skipped: " + ReportInputs.SkipReason, html, StringComparison.Ordinal);
        Assert.Contains("age: reference against 2024-05", html, StringComparison.Ordinal);
        Assert.Contains("sex: reference against 2024-05", html, StringComparison.Ordinal);
        Assert.Contains("estimated AUROC fell from 0.82 to 0.74 by 2024-05 before labels arrived", html, StringComparison.Ordinal);
        Assert.Contains("v2 promoted to champion on 2024-06-01 because AUROC 0.80 beats", html, StringComparison.Ordinal);
        Assert.Contains("ml.features_readmission@12", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_input_gives_the_same_json_and_html()
    {
        var first = ReportInputs.Build();
        var second = ReportInputs.Build();

        Assert.Equal(MlReport.Json(first), MlReport.Json(second));
        Assert.Equal(MlReport.Html(first), MlReport.Html(second));
        Assert.NotEqual(MlReport.Html(first), MlReport.Html(first with { GeneratedAt = first.GeneratedAt.AddDays(1) }));
    }

    [Fact]
    public void An_empty_monitoring_report_renders_and_says_there_is_nothing_to_monitor_yet()
    {
        var input = ReportInputs.Build() with { Monitoring = new MonitoringReport(0.82, 300, []), Alerts = [] };

        var html = MlReport.Html(input);
        using var json = JsonDocument.Parse(MlReport.Json(input));

        Assert.Contains("Nothing to monitor yet", html, StringComparison.Ordinal);
        Assert.Equal(0, Regex.Count(html, "<img "));
        Assert.Contains("No alerts.", html, StringComparison.Ordinal);
        Assert.Contains("v2 promoted to champion", html, StringComparison.Ordinal);
        Assert.Equal(0, json.RootElement.GetProperty("windows").GetArrayLength());
        Assert.StartsWith("Nothing to monitor yet", json.RootElement.GetProperty("summary").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Only_skipped_windows_and_unknown_metrics_still_render_with_null_numbers()
    {
        var input = ReportInputs.Build();
        var skipped = input.Monitoring.Windows.Select(w => w with { Data = null, Prediction = null, EstimatedAuroc = null, RealisedAuroc = null, MeanScore = double.NaN, Skipped = "no scores <yet>" }).ToList();
        input = input with { Monitoring = new MonitoringReport(double.NaN, 300, skipped) };

        var html = MlReport.Html(input);
        using var json = JsonDocument.Parse(MlReport.Json(input));

        Assert.Equal(5, Regex.Count(html, "skipped: no scores &lt;yet&gt;</td>"));
        Assert.Equal(3, Regex.Count(html, "<img "));
        Assert.Contains("No feature drifted in any window.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", Regex.Replace(html, "base64,[A-Za-z0-9+/=]+", "base64,"), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("reference").GetProperty("auroc").ValueKind);
        Assert.All(json.RootElement.GetProperty("windows").EnumerateArray(), w => Assert.Equal(JsonValueKind.Null, w.GetProperty("meanScore").ValueKind));
        Assert.StartsWith("Nothing analysed yet: all 5 windows were skipped (latest: no scores <yet>)", json.RootElement.GetProperty("summary").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Three_years_of_windows_over_ten_features_render_in_well_under_two_seconds()
    {
        var input = ReportInputs.Build(windows: 36, features: 10, rowsAWindow: 200);
        MlReport.Html(ReportInputs.Build(windows: 4));

        var clock = Stopwatch.StartNew();
        var html = MlReport.Html(input);
        var json = MlReport.Json(input);
        clock.Stop();

        output.WriteLine($"36 windows, 10 features: {clock.ElapsedMilliseconds} ms, HTML {html.Length:N0} chars, JSON {json.Length:N0} chars");
        Assert.Equal(6, Regex.Count(html, "<img "));
        Assert.Equal(36, JsonDocument.Parse(json).RootElement.GetProperty("windows").GetArrayLength());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"{clock.ElapsedMilliseconds} ms");
    }
}
