using System.Text.Json;
using Fhirhouse.Testing;

namespace Fhirhouse.Cli.Tests;

/// <summary><c>nlp annotate</c>, <c>nlp show</c> and <c>nlp text --resource</c> over a generated hospital in a temp lake, through the guard.</summary>
public sealed class NlpLakeCommandsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Lake => Path.Combine(_folder.Path, "lake");

    private Task<(int Exit, string Out, string Error)> Run(params string[] args) =>
        CliRunner.RunAsync([.. args, "--lake", Lake, "--keyring", Path.Combine(_folder.Path, "keys", "keyring.json")]);

    private Task<(int Exit, string Out, string Error)> RunAs(string role, string purpose, params string[] args) =>
        Run([.. args, "--role", role, "--purpose", purpose, "--user", "u1"]);

    private async Task<string> HospitalAsync()
    {
        var hospital = Path.Combine(_folder.Path, "hospital");
        CliRunner.AssertOk(await CliRunner.RunAsync("generate", "--patients", "3", "--seed", "4", "--out", hospital));
        File.Delete(Path.Combine(hospital, "notes-ground-truth.ndjson"));
        CliRunner.AssertOk(await Run("ingest", "files", hospital));
        return hospital;
    }

    private static string FirstId(string hospital, string type) =>
        JsonDocument.Parse(File.ReadLines(Path.Combine(hospital, type + ".000.ndjson")).First()).RootElement.GetProperty("id").GetString()!;

    private async Task<long> CountAsync(string sql)
    {
        var run = await RunAs("admin", "operations", "sql", sql, "--format", "csv");
        CliRunner.AssertOk(run);
        return long.Parse(run.Out.Trim().ReplaceLineEndings("\n").Split('\n')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Annotate_writes_mentions_and_FHIR_then_a_rerun_has_nothing_to_do_and_each_run_is_audited()
    {
        await HospitalAsync();

        var first = await RunAs("admin", "operations", "nlp", "annotate", "--json");
        CliRunner.AssertOk(first);
        using var result = JsonDocument.Parse(first.Out);
        var mentions = result.RootElement.GetProperty("mentions").GetInt64();
        Assert.True(mentions > 0, first.Out);
        Assert.True(result.RootElement.GetProperty("resourcesLanded").GetInt64() > 0, first.Out);
        Assert.Equal(mentions, await CountAsync("SELECT count(*) AS n FROM gold.nlp_annotations"));
        Assert.True(await CountAsync("SELECT count(*) AS n FROM fhir_resources WHERE source = 'nlp'") > 0);

        var again = await RunAs("admin", "operations", "nlp", "annotate");
        CliRunner.AssertOk(again);
        Assert.Contains("up to date", again.Out, StringComparison.Ordinal);
        Assert.Equal(mentions, await CountAsync("SELECT count(*) AS n FROM gold.nlp_annotations"));

        // An analyst reads the annotations with the words as written redacted; research may not annotate.
        var analyst = await RunAs("analyst", "operations", "sql", "SELECT count(*) AS n FROM gold.nlp_annotations WHERE text IS NOT NULL", "--format", "csv");
        CliRunner.AssertOk(analyst);
        Assert.Equal("n\n0", analyst.Out.Trim().ReplaceLineEndings("\n"));
        var research = await RunAs("data-scientist", "research", "nlp", "annotate");
        Assert.NotEqual(0, research.Exit);
        Assert.Contains("denied", research.Error, StringComparison.OrdinalIgnoreCase);

        var audit = await RunAs("admin", "operations", "audit", "list", "--json");
        CliRunner.AssertOk(audit);
        using var rows = JsonDocument.Parse(audit.Out);
        var nlp = rows.RootElement.EnumerateArray().Where(r => r.GetProperty("entryPoint").GetString() == "cli-nlp").Select(r => r.GetRawText()).ToList();
        Assert.Equal(2, nlp.Count(r => r.Contains("nlp annotate bronze v", StringComparison.Ordinal) && r.Contains("\"ok\"", StringComparison.Ordinal)));
        Assert.Single(nlp, r => r.Contains("data-scientist", StringComparison.Ordinal) && r.Contains("\"denied\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Show_writes_the_page_for_a_clinician_and_refuses_an_analyst_who_would_see_the_text_masked()
    {
        var hospital = await HospitalAsync();
        var note = "DocumentReference/" + FirstId(hospital, "DocumentReference");
        var page = Path.Combine(_folder.Path, "note.html");

        var shown = await RunAs("clinician", "treatment", "nlp", "show", note, "--html", page);
        CliRunner.AssertOk(shown);
        Assert.StartsWith("# " + note, shown.Out, StringComparison.Ordinal);
        var html = await File.ReadAllTextAsync(page);
        Assert.Contains("<mark class=", html, StringComparison.Ordinal);
        Assert.Contains(note, html, StringComparison.Ordinal);

        var text = await RunAs("clinician", "treatment", "nlp", "text", "--resource", note, "--json");
        CliRunner.AssertOk(text);
        Assert.Contains("\"negation\":", text.Out, StringComparison.Ordinal);

        var analyst = await RunAs("analyst", "operations", "nlp", "show", note);
        Assert.NotEqual(0, analyst.Exit);
        Assert.Contains("Access denied", analyst.Error, StringComparison.Ordinal);
        Assert.Empty(analyst.Out);

        var missing = await RunAs("clinician", "treatment", "nlp", "show", "DocumentReference/no-such-note");
        Assert.NotEqual(0, missing.Exit);
        Assert.Contains("is not in the lake", missing.Error, StringComparison.Ordinal);
        var notText = await RunAs("clinician", "treatment", "nlp", "show", "Patient/x");
        Assert.Equal(2, notText.Exit);

        var audit = await RunAs("admin", "operations", "audit", "list", "--json");
        using var rows = JsonDocument.Parse(audit.Out);
        var outcomes = rows.RootElement.EnumerateArray().Where(r => r.GetProperty("entryPoint").GetString() == "cli-nlp")
            .Select(r => (r.GetProperty("query").GetString(), r.GetProperty("outcome").GetString())).ToList();
        Assert.Contains(("nlp show " + note, "ok"), outcomes);
        Assert.Contains(("nlp text " + note, "ok"), outcomes);
        Assert.Contains(("nlp show " + note, "denied"), outcomes);
        Assert.Contains(("nlp show DocumentReference/no-such-note", "error"), outcomes);
    }

    [Fact]
    public async Task Forgetting_a_patient_removes_their_annotations_and_a_rerun_does_not_bring_them_back()
    {
        var hospital = await HospitalAsync();
        CliRunner.AssertOk(await RunAs("admin", "operations", "nlp", "annotate"));
        var patients = File.ReadLines(Path.Combine(hospital, "Patient.000.ndjson")).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()!).ToList();
        string? patient = null;
        foreach (var candidate in patients)
        {
            if (await CountAsync($"SELECT count(*) AS n FROM gold.nlp_annotations WHERE patient_id = '{candidate}'") > 0)
            {
                patient = candidate;
                break;
            }
        }

        Assert.NotNull(patient);
        var others = await CountAsync($"SELECT count(*) AS n FROM gold.nlp_annotations WHERE patient_id <> '{patient}'");

        CliRunner.AssertOk(await RunAs("admin", "operations", "forget", "--patient", patient));
        Assert.Equal(0, await CountAsync($"SELECT count(*) AS n FROM gold.nlp_annotations WHERE patient_id = '{patient}'"));
        Assert.Equal(others, await CountAsync("SELECT count(*) AS n FROM gold.nlp_annotations"));

        CliRunner.AssertOk(await RunAs("admin", "operations", "nlp", "annotate"));
        Assert.Equal(0, await CountAsync($"SELECT count(*) AS n FROM gold.nlp_annotations WHERE patient_id = '{patient}'"));
        Assert.Equal(0, await CountAsync($"SELECT count(*) AS n FROM fhir_resources WHERE patient_id = '{patient}'"));
    }
}
