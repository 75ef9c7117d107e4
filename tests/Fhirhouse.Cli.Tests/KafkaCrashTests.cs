using Fhirhouse.Lake.Landing;
using System.Text;
using Confluent.Kafka;
using Fhirhouse.Synthetic;
using Fhirhouse.Testing;

namespace Fhirhouse.Cli.Tests;

/// <summary>
/// Issue 5's Kafka proof with real crashes: the <c>fhirhouse ingest kafka</c> process is killed with SIGKILL at random
/// points while it consumes from librdkafka's mock cluster, then run to the end: every produced resource is in bronze
/// exactly once (offsets are committed only after the Delta commit, and bronze's txn skips what a killed run landed).
/// </summary>
public sealed class KafkaCrashTests : IDisposable
{
    private const string Topic = "fhir";
    private readonly TempFolder _folder = new();
    private readonly IProducer<Null, byte[]> _producer;
    private readonly string _servers;

    public KafkaCrashTests()
    {
        var config = new ProducerConfig { BootstrapServers = "127.0.0.1:1", Acks = Acks.All };
        config.Set("test.mock.num.brokers", "1");
        _producer = new ProducerBuilder<Null, byte[]>(config).Build();
        using var admin = new DependentAdminClientBuilder(_producer.Handle).Build();
        var broker = admin.GetMetadata(Topic, TimeSpan.FromSeconds(10)).Brokers.Single();
        _servers = $"{broker.Host}:{broker.Port}";
    }

    public void Dispose()
    {
        _producer.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task Killing_the_kafka_ingest_process_at_random_points_then_rerunning_lands_every_resource_exactly_once()
    {
        var hospital = Path.Combine(_folder.Path, "hospital");
        var generated = new HospitalGenerator(new HospitalOptions { Patients = 12, Seed = 31 }).Generate(hospital);
        var resources = generated.Files.Where(f => f.EndsWith(".ndjson", StringComparison.Ordinal) && f != HospitalGenerator.GroundTruthFileName)
            .SelectMany(f => File.ReadLines(Path.Combine(hospital, f))).Where(l => l.Length > 0).ToList();
        var i = 0;
        foreach (var resource in resources)
        {
            _producer.Produce(new TopicPartition(Topic, new Partition(i++ % 4)), new Message<Null, byte[]> { Value = Encoding.UTF8.GetBytes(resource) });
        }

        _producer.Flush(TimeSpan.FromSeconds(30));
        string[] Run(int idleSeconds) =>
        [
            "ingest", "kafka", "--bootstrap-servers", _servers, "--topic", Topic, "--group", "crash", "--batch-size", "40", "--batch-ms", "200",
            "--until-idle", idleSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // Static membership: a restarted worker takes its place in the group at once instead of waiting for the
            // killed one's session to time out.
            "--config", "group.instance.id=worker-1", "--config", "session.timeout.ms=6000",
            "--lake", Path.Combine(_folder.Path, "lake"), "--keyring", Path.Combine(_folder.Path, "keys", "keyring.json"),
        ];

        var random = new Random(20261128);
        var killed = 0;
        for (var attempt = 0; attempt < 8; attempt++)
        {
            using var process = CliRunner.StartProcess(Run(5));
            _ = process.StandardOutput.ReadToEndAsync();
            // Killed at a random point after the run landed its first batch: how long a process takes to start and join
            // the group depends on the machine's load, and a run killed before any work proves nothing. A run that finds
            // the topic drained ends by itself after 5 idle seconds, and then the kills are over.
            var working = new TaskCompletionSource<bool>();
            var said = new System.Collections.Concurrent.ConcurrentQueue<string>();
            _ = Task.Run(async () =>
            {
                while (await process.StandardError.ReadLineAsync() is { } line)
                {
                    said.Enqueue(line);
                    if (line.StartsWith("ingest: kafka ", StringComparison.Ordinal))
                    {
                        working.TrySetResult(true);
                    }
                }

                working.TrySetResult(false);
            });
            if (await Task.WhenAny(working.Task, Task.Delay(TimeSpan.FromSeconds(60))) != working.Task)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"attempt {attempt}: no batch landed in 60 s; the run said:\n{string.Join('\n', said)}");
            }

            if (!await working.Task || process.WaitForExit(random.Next(0, 1_500)))
            {
                await process.WaitForExitAsync();
                break;
            }

            process.Kill(entireProcessTree: true);
            killed++;
            await process.WaitForExitAsync();
        }

        Assert.InRange(killed, 1, 8);
        var beforeLastRun = await LandedAsync();
        using (var last = CliRunner.StartProcess(Run(10)))
        {
            var error = last.StandardError.ReadToEndAsync();
            _ = last.StandardOutput.ReadToEndAsync();
            await last.WaitForExitAsync();
            Assert.True(last.ExitCode == 0, $"exit {last.ExitCode}: {await error}");
        }

        // The killed runs landed batches (so runs were killed with work committed and offsets possibly not), and
        // nothing twice; how much they landed depends on the machine's speed.
        Assert.InRange(beforeLastRun.Count, 1, resources.Count);
        Assert.Equal(beforeLastRun.Count, beforeLastRun.Distinct(StringComparer.Ordinal).Count());
        var landed = await LandedAsync();
        Assert.Equal(resources.Count, landed.Count);
        Assert.Equal(resources.Count, landed.Distinct(StringComparer.Ordinal).Count());
    }

    private async Task<List<string>> LandedAsync()
    {
        var store = await Commands.LakeOptionSet.OpenAsync(Path.Combine(_folder.Path, "lake"), Path.Combine(_folder.Path, "keys", "keyring.json"),
            new CliContext(TextWriter.Null, TextWriter.Null, false, TimeProvider.System), CancellationToken.None);
        var ingestor = await Lake.Landing.PayloadIngestor.OpenAsync(store.Objects, new Lake.Landing.IngestOptions());
        return await ingestor.Bronze.ReadAllAsync().Select(r => $"{r.ResourceType}/{r.Id}").ToListAsync();
    }
}
