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
