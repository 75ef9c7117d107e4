using Fhirhouse.Lake.Landing;
using System.Diagnostics;
using System.Text.Json;
using Fhirhouse.Synthetic;
using Fhirhouse.Testing;

namespace Fhirhouse.Cli.Tests;

/// <summary>
/// Issue 5's crash test: the real <c>fhirhouse ingest files</c> process is killed with SIGKILL at random points, 20
/// times, then run to the end; the bronze table then holds what an uninterrupted run gives.
/// </summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private async Task<string> RunToEndAsync(params string[] args)
    {
        using var process = CliRunner.StartProcess(args);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {await error}");
        return await output;
    }

    [Fact]
    public async Task Killing_the_ingest_process_at_random_points_then_rerunning_gives_the_table_of_an_uninterrupted_run()
    {
        var hospital = Path.Combine(_folder.Path, "hospital");
        var generated = new HospitalGenerator(new HospitalOptions { Patients = 60, Seed = 21, MaxResourcesPerFile = 1_500 }).Generate(hospital);
        var files = generated.Files.Select(f => Path.Combine(hospital, f)).ToArray();
        string[] Lake(string name) => ["--lake", Path.Combine(_folder.Path, name), "--keyring", Path.Combine(_folder.Path, "keys", "keyring.json")];

        var clock = Stopwatch.StartNew();
        await RunToEndAsync(["ingest", "files", .. files, .. Lake("reference")]);
        var uninterrupted = (int)clock.ElapsedMilliseconds;

        // Kill points spread over the length of an uninterrupted run (start-up included), until 20 runs were killed.
        var random = new Random(20261128);
        var killed = 0;
        for (var attempt = 0; killed < 20 && attempt < 80; attempt++)
        {
            using var process = CliRunner.StartProcess(["ingest", "files", .. files, .. Lake("crashed")]);
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(random.Next(uninterrupted / 40, uninterrupted / 2)))
            {
                process.Kill(entireProcessTree: true);
                killed++;
            }

            await process.WaitForExitAsync();
        }

        Assert.Equal(20, killed);
        await RunToEndAsync(["ingest", "files", .. files, .. Lake("crashed")]);

        var expected = await BronzeAsync(Lake("reference"));
        var actual = await BronzeAsync(Lake("crashed"));
        Assert.Equal(generated.Resources, expected.Count);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task Killing_nlp_annotate_at_random_points_then_rerunning_gives_the_bronze_and_annotations_of_an_uninterrupted_run()
    {
        var hospital = Path.Combine(_folder.Path, "hospital");
        var generated = new HospitalGenerator(new HospitalOptions { Patients = 30, Seed = 22 }).Generate(hospital);
        var files = generated.Files.Select(f => Path.Combine(hospital, f)).ToArray();
        string[] Lake(string name) => ["--lake", Path.Combine(_folder.Path, name), "--keyring", Path.Combine(_folder.Path, "keys", "keyring.json")];
        string[] annotate = ["nlp", "annotate", "--batch", "40", "--role", "admin", "--purpose", "operations"];
        await RunToEndAsync(["ingest", "files", .. files, .. Lake("reference")]);
        await RunToEndAsync(["ingest", "files", .. files, .. Lake("crashed")]);

        var clock = Stopwatch.StartNew();
        await RunToEndAsync([.. annotate, .. Lake("reference")]);
        var uninterrupted = (int)clock.ElapsedMilliseconds;

        var random = new Random(20261203);
        var killed = 0;
        for (var attempt = 0; killed < 8 && attempt < 40; attempt++)
        {
            using var process = CliRunner.StartProcess([.. annotate, .. Lake("crashed")]);
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(random.Next(uninterrupted / 10, uninterrupted)))
            {
                process.Kill(entireProcessTree: true);
                killed++;
            }

            await process.WaitForExitAsync();
        }

        Assert.True(killed >= 4, $"{killed} runs killed");
        const string Landed = "SELECT resource_type || '/' || id || '|' || content_hash AS r FROM fhir_resources WHERE source = 'nlp' ORDER BY r";
        Assert.NotEmpty(await NlpAsync(Lake("crashed"), Landed)); // the killed runs had landed batches
        await RunToEndAsync([.. annotate, .. Lake("crashed")]);

        // Bronze holds the NLP resources of the uninterrupted run, each once (a batch landed again is the same payload), and the annotation rows are the same.
        var landed = await NlpAsync(Lake("reference"), Landed);
        Assert.NotEmpty(landed);
        Assert.Equal(landed, await NlpAsync(Lake("crashed"), Landed));
        const string Rows = "SELECT mention_id || '|' || output_digest || '|' || coalesce(fhir_resource, '') AS r FROM gold.nlp_annotations ORDER BY r";
        var expected = await NlpAsync(Lake("reference"), Rows);
        Assert.NotEmpty(expected);
        Assert.Equal(expected, await NlpAsync(Lake("crashed"), Rows));
    }

    private static async Task<List<string>> NlpAsync(string[] lake, string sql)
    {
        var (exit, output, error) = await CliRunner.RunAsync(["sql", sql, "--format", "csv", "--role", "admin", "--purpose", "operations", .. lake]);
        Assert.True(exit == 0, error);
        return [.. output.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)];
    }

    private static async Task<List<string>> BronzeAsync(string[] lake)
    {
        var (exit, output, error) = await CliRunner.RunAsync(["table", "describe", "fhir_resources", "--json", .. lake]);
        Assert.True(exit == 0, error);
        using var describe = JsonDocument.Parse(output);
        var store = await Commands.LakeOptionSet.OpenAsync(lake[1], lake[3], new CliContext(TextWriter.Null, TextWriter.Null, false, TimeProvider.System), CancellationToken.None);
        var ingestor = await Lake.Landing.PayloadIngestor.OpenAsync(store.Objects, new Lake.Landing.IngestOptions());
        var rows = await ingestor.Bronze.ReadAllAsync().Select(r => $"{r.ResourceType}/{r.Id}|{r.ContentHash}|{r.RawKey}|{r.RawLine}|{r.PatientId}").ToListAsync();
        Assert.Equal(describe.RootElement.GetProperty("rows").GetInt64(), rows.Count);
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }
}
