using System.Globalization;
using System.Text.Json;
using Fhirhouse.Testing;

namespace Fhirhouse.Cli.Tests;

/// <summary>
/// <c>ml run</c>, <c>score</c>, <c>models</c> and <c>forget</c> reaching the models, on a generated hospital in a temp
/// lake through the guard and the audit log.
/// </summary>
public sealed class MlCommandTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Lake => Path.Combine(_folder.Path, "lake");

    private Task<(int Exit, string Out, string Error)> Run(params string[] args) =>
        CliRunner.RunAsync([.. args, "--lake", Lake, "--keyring", Path.Combine(_folder.Path, "keys", "keyring.json")]);

    private Task<(int Exit, string Out, string Error)> RunAs(string role, string purpose, params string[] args) =>
        Run([.. args, "--role", role, "--purpose", purpose, "--user", "u1"]);

    private async Task HospitalAsync()
    {
        var hospital = Path.Combine(_folder.Path, "hospital");
        CliRunner.AssertOk(await CliRunner.RunAsync("generate", "--patients", "800", "--seed", "5", "--drift", "none", "--out", hospital));
        foreach (var extra in Directory.GetFiles(hospital).Where(f => !Path.GetFileName(f).Contains(".0", StringComparison.Ordinal)))
        {
            File.Delete(extra);
        }

        CliRunner.AssertOk(await Run("ingest", "files", hospital));
        CliRunner.AssertOk(await Run("views", "build", "patient", "encounter", "condition", "observation"));
    }

    private async Task<long> CountAsync(string sql)
    {
        var run = await RunAs("admin", "operations", "sql", sql, "--format", "csv");
        CliRunner.AssertOk(run);
        return long.Parse(run.Out.Trim().ReplaceLineEndings("\n").Split('\n')[1], CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task A_shipped_pipeline_trains_promotes_scores_into_predictions_and_bronze_and_forget_reaches_its_model()
    {
        await HospitalAsync();

        var analyst = await RunAs("analyst", "operations", "ml", "run", "t2d_onset_1y");
        Assert.NotEqual(0, analyst.Exit);
        Assert.Contains("denied", analyst.Error, StringComparison.OrdinalIgnoreCase);

        var run = await RunAs("data-scientist", "operations", "ml", "run", "t2d_onset_1y", "--to", "2025-01-01", "--reason", "first model", "--json");
        CliRunner.AssertOk(run);
        using (var result = JsonDocument.Parse(run.Out))
        {
            var decision = result.RootElement.GetProperty("decision");
            Assert.Equal("promoted", decision.GetProperty("action").GetString());
            Assert.Equal("champion", decision.GetProperty("alias").GetString());
            Assert.True(result.RootElement.GetProperty("holdout").GetProperty("overall").GetProperty("auroc").GetDouble() > 0.7, run.Out);
        }

        var score = await RunAs("data-scientist", "operations", "ml", "score", "t2d_onset_1y", "--from", "2025-01-01", "--json");
        CliRunner.AssertOk(score);
        long rows;
        using (var scored = JsonDocument.Parse(score.Out))
        {
            rows = scored.RootElement.GetProperty("rows").GetInt64();
        }

        Assert.True(rows > 100, score.Out);
        Assert.Equal(rows, await CountAsync("SELECT count(*) AS n FROM ml.predictions WHERE model_version = 1 AND index_time >= TIMESTAMPTZ '2025-01-01 00:00:00+00'"));
        Assert.Equal(rows, await CountAsync("SELECT count(*) AS n FROM fhir_resources WHERE source = 'ml' AND resource_type = 'RiskAssessment'"));

        // Clinicians read predictions for treatment; analysts do not.
        CliRunner.AssertOk(await RunAs("clinician", "treatment", "sql", "SELECT count(*) FROM ml.predictions"));
        Assert.NotEqual(0, (await RunAs("analyst", "operations", "sql", "SELECT count(*) FROM ml.predictions")).Exit);

        var patient = (await RunAs("admin", "operations", "sql", "SELECT patient_id FROM ml.features_t2d_onset_1y WHERE index_time < TIMESTAMPTZ '2025-01-01 00:00:00+00' ORDER BY patient_id LIMIT 1", "--format", "csv"))
            .Out.Trim().ReplaceLineEndings("\n").Split('\n')[1];
        var forget = await RunAs("admin", "operations", "forget", "--patient", patient);
        CliRunner.AssertOk(forget);
        Assert.Contains("jobs/ml/models/t2d_onset_1y/000001.zip: marked (learned from", forget.Out, StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync($"SELECT count(*) AS n FROM ml.features_t2d_onset_1y WHERE patient_id = '{patient}'"));
        Assert.Equal(0, await CountAsync($"SELECT count(*) AS n FROM ml.predictions WHERE patient_id = '{patient}'"));
        var models = await RunAs("data-scientist", "operations", "ml", "models", "t2d_onset_1y", "--json");
        CliRunner.AssertOk(models);
        Assert.Contains("\"erasure-marked\"", models.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(patient, models.Out, StringComparison.Ordinal);

        var audit = await RunAs("admin", "operations", "audit", "list", "--json");
        CliRunner.AssertOk(audit);
        using var events = JsonDocument.Parse(audit.Out);
        var ml = events.RootElement.EnumerateArray().Where(r => r.GetProperty("entryPoint").GetString() == "cli-ml").Select(r => r.GetRawText()).ToList();
        Assert.Single(ml, r => r.Contains("analyst", StringComparison.Ordinal) && r.Contains("\"denied\"", StringComparison.Ordinal));
        Assert.Contains(ml, r => r.Contains("ml run", StringComparison.Ordinal) && r.Contains("\"ok\"", StringComparison.Ordinal));
        Assert.Contains(ml, r => r.Contains("ml score", StringComparison.Ordinal) && r.Contains("\"ok\"", StringComparison.Ordinal));
    }
    [Fact]
    public async Task Killing_ml_score_at_random_points_then_rerunning_lands_each_risk_assessment_once()
    {
        await HospitalAsync();
        CliRunner.AssertOk(await RunAs("data-scientist", "operations", "ml", "run", "t2d_onset_1y", "--to", "2025-01-01"));
        string[] score = ["ml", "score", "t2d_onset_1y", "--from", "2024-01-01", "--no-rebuild", "--batch-rows", "300", "--json",
            "--lake", Lake, "--keyring", Path.Combine(_folder.Path, "keys", "keyring.json"), "--role", "data-scientist", "--purpose", "operations", "--user", "u1"];

        var random = new Random(20261204);
        var killed = 0;
        for (var attempt = 0; killed < 6 && attempt < 30; attempt++)
        {
            using var process = CliRunner.StartProcess(score);
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(random.Next(800, 4000)))
            {
                process.Kill(entireProcessTree: true);
                killed++;
            }

            await process.WaitForExitAsync();
        }

        using var last = CliRunner.StartProcess(score);
        var output = await last.StandardOutput.ReadToEndAsync();
        await last.WaitForExitAsync();
        Assert.True(last.ExitCode == 0, output);
        using var result = JsonDocument.Parse(output);
        var rows = result.RootElement.GetProperty("rows").GetInt64();

        Assert.True(killed > 0, "no run was killed");
        Assert.True(rows > 300, output);
        Assert.Equal(rows, await CountAsync("SELECT count(*) AS n FROM ml.predictions"));
        Assert.Equal(rows, await CountAsync("SELECT count(*) AS n FROM fhir_resources WHERE source = 'ml' AND resource_type = 'RiskAssessment'"));
        Assert.Equal(rows, await CountAsync("SELECT count(DISTINCT id) AS n FROM fhir_resources WHERE source = 'ml' AND resource_type = 'RiskAssessment'"));
        Assert.Equal(rows, await CountAsync("SELECT count(*) AS n FROM fhir_resources WHERE source = 'ml' AND resource_type = 'Provenance'"));
    }
}
