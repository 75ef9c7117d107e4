using System.Text.Json;
using Fhirhouse.Testing;

namespace Fhirhouse.Cli.Tests;

public sealed class CommandLineTests
{
    [Theory]
    [InlineData(new string[] { "--help" }, "generate")]
    [InlineData(new string[] { "generate", "--help" }, "--patients")]
    [InlineData(new string[] { "demo", "--help" }, "--out")]
    public async Task Every_command_has_help(string[] args, string expected)
    {
        var (exit, output, _) = await CliRunner.RunAsync(args);
        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Contains(expected, output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("generate", "--patients", "many", "--out", "x")]
    [InlineData("generate")]
    [InlineData("frobnicate")]
    [InlineData("generate", "--format", "xml", "--out", "x")]
    public async Task Bad_usage_exits_with_2_and_says_why(params string[] args)
    {
        var (exit, _, error) = await CliRunner.RunAsync(args);
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("error:", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_option_values_exit_with_2_naming_the_option()
    {
        using var folder = new TempFolder();
        var (exit, _, error) = await CliRunner.RunAsync("generate", "--patients", "5", "--drift", "martian-invasion", "--out", folder.Path);
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains("martian-invasion", error, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Path));
    }

    [Fact]
    public async Task Generate_with_json_prints_a_machine_readable_summary_of_what_it_wrote()
    {
        using var folder = new TempFolder();
        var target = Path.Combine(folder.Path, "out");
        var (exit, output, _) = await CliRunner.RunAsync("generate", "--patients", "20", "--seed", "1", "--out", target, "--json");
        Assert.Equal(ExitCodes.Ok, exit);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(20, json.RootElement.GetProperty("patients").GetInt32());
        Assert.Equal(20, json.RootElement.GetProperty("resourcesByType").GetProperty("Patient").GetInt32());
        Assert.Equal(20, File.ReadLines(Path.Combine(target, "Patient.000.ndjson")).Count());
        Assert.True(File.Exists(json.RootElement.GetProperty("groundTruth").GetString()));
    }

    [Fact]
    public async Task Generate_into_a_folder_that_holds_a_hospital_fails_with_1()
    {
        using var folder = new TempFolder();
        CliRunner.AssertOk(await CliRunner.RunAsync("generate", "--patients", "3", "--out", folder.Path));
        var (exit, _, error) = await CliRunner.RunAsync("generate", "--patients", "3", "--out", folder.Path);
        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Contains(folder.Path, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_runs_with_no_input_names_its_folder_and_can_run_again()
    {
        using var folder = new TempFolder();
        var demo = Path.Combine(folder.Path, "demo");
        var first = await CliRunner.RunAsync("demo", "--patients", "15", "--out", demo);
        Assert.Equal(ExitCodes.Ok, first.Exit);
        Assert.Contains($"Demo folder: {demo}", first.Out, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(demo, "source", "Patient.000.ndjson")));
        Assert.DoesNotContain("\u001b[", first.Out, StringComparison.Ordinal);
        Assert.Contains("4. Clinical NLP", first.Out, StringComparison.Ordinal);
        Assert.Matches("Mentions written: [1-9]", first.Out);
        Assert.Contains("5. Governance", first.Out, StringComparison.Ordinal);
        Assert.Contains("rule 'research-no-raw-data'", first.Out, StringComparison.Ordinal);
        Assert.Matches("in the audit log \\(tables/audit_log\\): [1-9][0-9]* rows", first.Out);
        Assert.Contains("6. Models", first.Out, StringComparison.Ordinal);
        Assert.Contains("Models: no model trained on 2022", first.Out, StringComparison.Ordinal);   // 15 patients are too few to learn from; the demo says so and goes on
        Assert.Matches("Research sees only the patients whose Consent permits research .*: [0-9]+ of 15\\.", first.Out);

        var second = await CliRunner.RunAsync("demo", "--patients", "15", "--out", demo);
        Assert.Equal(ExitCodes.Ok, second.Exit);
    }

    [Fact]
    public async Task Demo_refuses_a_folder_that_is_not_a_demo_folder()
    {
        using var folder = new TempFolder();
        File.WriteAllText(Path.Combine(folder.Path, "precious.txt"), "keep me");
        var (exit, _, error) = await CliRunner.RunAsync("demo", "--patients", "5", "--out", folder.Path);
        Assert.Equal(ExitCodes.Failure, exit);
        Assert.Contains("not a Fhirhouse demo folder", error, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder.Path, "precious.txt")));
    }
}
