using System.Globalization;
using System.Text.Json;
using Fhirhouse.Testing;

namespace Fhirhouse.Cli.Tests;

/// <summary>
/// The generator's drift scenarios seen by <c>ml monitor</c>: a model trained on 2022 with the visit-level pipeline
/// (<c>t2d_visit_1y</c>), monitored month by month over 2023-2025 of a hospital whose scenarios start on 2023-07-02
/// (the middle of 2021-2025). No scenario feature drifts before the start; in the first full window after it the HbA1c
/// assay, the glucose unit and the coding practice changes are each reported by the features they touch.
/// </summary>
public sealed class MlDriftScenarioTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private Task<(int Exit, string Out, string Error)> Run(params string[] args) =>
        CliRunner.RunAsync([.. args, "--lake", Path.Combine(_folder.Path, "lake"), "--keyring", Path.Combine(_folder.Path, "keys", "keyring.json")]);

    [Fact]
    public async Task Each_scenario_is_reported_in_the_first_full_window_after_it_starts_by_the_features_it_changes()
    {
        var hospital = Path.Combine(_folder.Path, "hospital");
        CliRunner.AssertOk(await CliRunner.RunAsync("generate", "--patients", "3000", "--seed", "1", "--from", "2021", "--to", "2025", "--drift", "all", "--out", hospital));
        foreach (var extra in Directory.GetFiles(hospital).Where(f => !Path.GetFileName(f).Contains(".0", StringComparison.Ordinal)))
        {
            File.Delete(extra);
        }

        CliRunner.AssertOk(await Run("ingest", "files", hospital));
        CliRunner.AssertOk(await Run("views", "build", "patient", "encounter", "condition", "observation"));
        string[] scientist = ["--role", "data-scientist", "--purpose", "operations", "--user", "u1"];
        CliRunner.AssertOk(await Run(["ml", "train", "t2d_visit_1y", .. scientist]));

        var monitor = await Run(["ml", "monitor", "t2d_visit_1y", "--version", "1", "--json", .. scientist]);

        CliRunner.AssertOk(monitor);
        using var result = JsonDocument.Parse(monitor.Out);
        var windows = result.RootElement.GetProperty("windows").EnumerateArray().ToDictionary(
            w => w.GetProperty("start").GetDateTimeOffset().UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture),
            w => w.GetProperty("drifted").ValueKind == JsonValueKind.Array ? w.GetProperty("drifted").EnumerateArray().Select(f => f.GetString()!).ToHashSet(StringComparer.Ordinal) : [],
            StringComparer.Ordinal);
        string[] touched = ["hba1c_visit", "glucose_mg_dl_visit", "icd10_share_visit"];
        foreach (var month in new[] { "2023-01", "2023-02", "2023-03", "2023-04", "2023-05", "2023-06" })
        {
            Assert.True(windows[month].Intersect(touched).Count() == 0, $"{month} before the scenarios start: {string.Join(", ", windows[month])}");
        }

        Assert.Superset(touched.ToHashSet(StringComparer.Ordinal), windows["2023-08"]);
        Assert.All(Enumerable.Range(0, 12).Select(i => new DateTime(2023, 8, 1).AddMonths(i).ToString("yyyy-MM", CultureInfo.InvariantCulture)),
            month => Assert.Contains("glucose_mg_dl_visit", windows[month]));
    }
}
