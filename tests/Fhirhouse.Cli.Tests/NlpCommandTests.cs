using Fhirhouse.Testing;

namespace Fhirhouse.Cli.Tests;

/// <summary>The nlp commands as a user runs them: a terminology release file imported, then used to annotate a text.</summary>
public sealed class NlpCommandTests
{
    [Fact]
    public async Task An_imported_icd10cm_order_file_becomes_the_lexicon_of_nlp_text()
    {
        using var folder = new TempFolder();
        var release = Path.Combine(folder.Path, "icd10cm_order_2025.txt");
        await File.WriteAllLinesAsync(release,
        [
            "00001 E11     0 Type 2 diabetes mellitus                                     Type 2 diabetes mellitus",
            "00002 E119    1 Type 2 diabetes mellitus without complications               Type 2 diabetes mellitus without complications",
            "00003 I10     1 Essential (primary) hypertension                             Essential (primary) hypertension",
        ]);
        var lexicon = Path.Combine(folder.Path, "icd10cm.tsv");

        var (exit, _, error) = await CliRunner.RunAsync("nlp", "lexicon", "import", release, "--out", lexicon);
        Assert.True(exit == 0, error);
        Assert.Contains("written to", error, StringComparison.Ordinal);

        var (textExit, output, textError) = await CliRunner.RunAsync("nlp", "text", "No essential hypertension.", "--lexicon", lexicon, "--language", "en", "--json");
        Assert.True(textExit == 0, textError);
        Assert.Contains("\"code\":\"I10\"", output, StringComparison.Ordinal);
        Assert.Contains("\"negation\":\"Negated\"", output, StringComparison.Ordinal);
        Assert.DoesNotContain("E11", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_whose_name_says_no_format_is_a_usage_error_naming_the_formats()
    {
        using var folder = new TempFolder();
        var release = Path.Combine(folder.Path, "codes.txt");
        await File.WriteAllTextAsync(release, "x\n");

        var (exit, _, error) = await CliRunner.RunAsync("nlp", "lexicon", "import", release, "--out", Path.Combine(folder.Path, "out.tsv"));
        Assert.Equal(2, exit);
        Assert.Contains("icd10cm-order", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_scores_a_generated_hospital_against_its_ground_truth_and_names_a_missing_truth()
    {
        using var folder = new TempFolder();
        CliRunner.AssertOk(await CliRunner.RunAsync("generate", "--patients", "4", "--seed", "9", "--out", folder.Path));

        var (exit, output, error) = await CliRunner.RunAsync("nlp", "evaluate", folder.Path, "--json", "--errors", "3");
        Assert.True(exit == 0, error);
        using var scores = System.Text.Json.JsonDocument.Parse(output);
        var all = scores.RootElement.GetProperty("scores").GetProperty("all");
        Assert.True(all.GetProperty("documents").GetInt32() > 0);
        Assert.InRange(all.GetProperty("detection").GetProperty("f1").GetDouble(), 0.9, 1.0);
        Assert.Equal(0, scores.RootElement.GetProperty("notFound").GetInt32());
        Assert.Contains("texts scored", error, StringComparison.Ordinal);

        File.Delete(Path.Combine(folder.Path, "notes-ground-truth.ndjson"));
        var missing = await CliRunner.RunAsync("nlp", "evaluate", folder.Path);
        Assert.Equal(2, missing.Exit);
        Assert.Contains("--truth", missing.Error, StringComparison.Ordinal);
    }
}
