using System.Text;
using Fhirhouse.Lake.Bronze;
using Fhirhouse.Lake.Landing;
using Fhirhouse.Ingest.Sources.Kafka;
using Fhirhouse.Storage;
using Fhirhouse.Storage.Local;
using Fhirhouse.Synthetic;
using Fhirhouse.Testing;

namespace Fhirhouse.Ingest.Tests.Sources;

public sealed class KafkaIngestorTests : IDisposable
{
    private const int Partitions = MockKafkaCluster.Partitions;
    private readonly TempFolder _folder = new();
    private readonly MockKafkaCluster _kafka = new("fhir");

    public void Dispose()
    {
        _kafka.Dispose();
        _folder.Dispose();
    }

    private IObjectStore Lake() => new LocalObjectStore(Path.Combine(_folder.Path, "lake"));

    /// <summary>Every resource line of a small generated hospital, as message values.</summary>
    private List<string> HospitalResources(int patients)
    {
        var output = Path.Combine(_folder.Path, "hospital");
        var generated = new HospitalGenerator(new HospitalOptions { Patients = patients, Seed = 5 }).Generate(output);
        return [.. generated.Files.Where(f => f.EndsWith(".ndjson", StringComparison.Ordinal) && !f.Contains(HospitalGenerator.GroundTruthFileName, StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(Path.Combine(output, f)))
            .Where(l => l.Length > 0)];
    }

    private KafkaIngestOptions Options(long? maxMessages = null, int batchSize = 50) => new()
    {
        BootstrapServers = _kafka.BootstrapServers,
        Topic = _kafka.Topic,
        Group = "lake",
        BatchSize = batchSize,
        BatchTime = TimeSpan.FromMilliseconds(300),
        MaxMessages = maxMessages,
        UntilIdle = TimeSpan.FromSeconds(4),
        Config = new Dictionary<string, string>(StringComparer.Ordinal) { ["session.timeout.ms"] = "6000", ["heartbeat.interval.ms"] = "500" },
    };

    private static async Task<IReadOnlyList<BronzeRow>> Bronze(IObjectStore lake)
    {
        var ingestor = await PayloadIngestor.OpenAsync(lake, new IngestOptions());
        return await ingestor.Bronze.ReadAllAsync().ToListAsync();
    }

    private static void AssertEachOnce(IEnumerable<string> expected, IReadOnlyList<BronzeRow> rows)
    {
        var keys = rows.Select(r => r.ResourceType + "/" + r.Id).ToList();
        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(expected.Order(StringComparer.Ordinal), rows.Select(r => r.Resource!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Messages_with_invalid_utf8_or_over_the_size_limit_are_quarantined_at_their_offset_and_the_rest_lands()
    {
        byte[] badUtf8 = [.. Encoding.UTF8.GetBytes("""{"resourceType":"Patient","id":"bad","name":[{"family":"X"""), 0xFF, .. Encoding.UTF8.GetBytes("""Y"}]}""")];
        var oversized = Encoding.UTF8.GetBytes($$"""{"resourceType":"Patient","id":"big","name":[{"family":"{{new string('x', 900)}}"}]}""");
        var good = Enumerable.Range(1, 6).Select(i => $$"""{"resourceType":"Patient","id":"p{{i}}"}""").ToList();
        _kafka.Produce([.. good.Take(3).Select(Encoding.UTF8.GetBytes), badUtf8, oversized, .. good.Skip(3).Select(Encoding.UTF8.GetBytes)]);
        var lake = Lake();
        var ingestor = await PayloadIngestor.OpenAsync(lake, new IngestOptions { MaxLineBytes = 500 });

        var summary = await new KafkaIngestor(ingestor, Options()).RunAsync();

        Assert.Equal(6, summary.Resources);
        Assert.Equal(2, summary.Quarantined);
        AssertEachOnce(good, await Bronze(lake));
        var quarantine = await ingestor.Quarantine.ReadAllAsync();
        Assert.Equal(
            [$"invalid UTF-8 at byte offset {Array.IndexOf(badUtf8, (byte)0xFF)}", $"the line is {oversized.Length} bytes, over the limit of 500 bytes (the raw payload keeps it)"],
            quarantine.Select(q => q.Reason).Order(StringComparer.Ordinal));
        Assert.All(quarantine, q => Assert.Matches("^fhir/[0-9]+/[0-9]+$", q.Location));
    }

    [Fact]
    public async Task Every_produced_resource_lands_in_bronze_exactly_once_and_offsets_follow_the_lake()
    {
        var resources = HospitalResources(4);
        _kafka.Produce(resources.Select(Encoding.UTF8.GetBytes));
        var lake = Lake();
        var ingestor = await PayloadIngestor.OpenAsync(lake, new IngestOptions());

        var summary = await new KafkaIngestor(ingestor, Options()).RunAsync();

        Assert.Equal(resources.Count, summary.Resources);
        AssertEachOnce(resources, await Bronze(lake));
        var positions = new List<long>();
        for (var p = 0; p < Partitions; p++)
        {
            positions.Add(await ingestor.GetStreamPositionAsync($"kafka:lake/fhir/{p}") ?? -1);
        }

        Assert.Equal(resources.Count, positions.Sum(p => p + 1));
        var manifest = await ingestor.Manifest.ReadAllAsync();
        Assert.All(manifest, m => Assert.Equal("kafka", m.Source));
        Assert.Equal(resources.Count, manifest.Sum(m => m.Resources));

        var again = await new KafkaIngestor(ingestor, Options()).RunAsync();
        Assert.Equal(0, again.Resources);
    }

    [Fact]
    public async Task A_consumer_killed_after_its_delta_commit_and_before_its_offset_commit_lands_nothing_twice()
    {
        var resources = HospitalResources(4);
        _kafka.Produce(resources.Select(Encoding.UTF8.GetBytes));
        var lake = Lake();
        var ingestor = await PayloadIngestor.OpenAsync(lake, new IngestOptions());

        var crash = new Progress(() => throw new IOException("killed after the Delta commit"));
        await Assert.ThrowsAsync<IOException>(() => new KafkaIngestor(ingestor, Options()).RunAsync(crash));
        var afterCrash = await Bronze(lake);
        Assert.InRange(afterCrash.Count, 1, resources.Count - 1);

        var summary = await new KafkaIngestor(ingestor, Options()).RunAsync();

        Assert.Equal(resources.Count - afterCrash.Count, summary.Resources);
        AssertEachOnce(resources, await Bronze(lake));
    }

    [Fact]
    public async Task Two_consumers_in_one_group_with_one_killed_midway_land_every_resource_exactly_once()
    {
        var resources = HospitalResources(6);
        _kafka.Produce(resources.Select(Encoding.UTF8.GetBytes));
        var lake = Lake();
        var ingestor = await PayloadIngestor.OpenAsync(lake, new IngestOptions());
        var killedBatches = 0;

        var killed = new KafkaIngestor(ingestor, Options(batchSize: 20)).RunAsync(new Progress(() =>
        {
            if (++killedBatches == 2)
            {
                throw new IOException("killed after the Delta commit");
            }
        }));
        // The survivor outlives the session timeout (6 s), after which the group gives it the killed consumer's partitions.
        var survivor = new KafkaIngestor(ingestor, Options(batchSize: 20) with { UntilIdle = TimeSpan.FromSeconds(8) }).RunAsync();

        await Assert.ThrowsAsync<IOException>(() => killed);
        await survivor;
        AssertEachOnce(resources, await Bronze(lake));
    }

    [Fact]
    public async Task A_run_limited_to_some_messages_stops_and_the_next_run_carries_on()
    {
        var resources = HospitalResources(2);
        _kafka.Produce(resources.Select(Encoding.UTF8.GetBytes));
        var lake = Lake();
        var ingestor = await PayloadIngestor.OpenAsync(lake, new IngestOptions());

        var first = await new KafkaIngestor(ingestor, Options(maxMessages: 20, batchSize: 7)).RunAsync();
        var second = await new KafkaIngestor(ingestor, Options()).RunAsync();

        Assert.Equal(20, first.Resources);
        Assert.Equal(resources.Count - 20, second.Resources);
        AssertEachOnce(resources, await Bronze(lake));
    }

    [Fact]
    public async Task Malformed_messages_land_in_quarantine_with_topic_partition_and_offset()
    {
        var patient = """{"resourceType":"Patient","id":"p1","meta":{"lastUpdated":"2024-01-02T03:04:05Z"}}""";
        var bundle = """
            {"resourceType":"Bundle","type":"transaction","entry":[
              {"fullUrl":"urn:uuid:0c2f8f4a-0000-4000-8000-000000000001","resource":{"resourceType":"Patient","id":"p2"}},
              {"request":{"method":"DELETE","url":"Patient/p3"}}]}
            """;
        _kafka.Produce([Encoding.UTF8.GetBytes(patient), Encoding.UTF8.GetBytes("{not json"), Encoding.UTF8.GetBytes(bundle), Encoding.UTF8.GetBytes("""{"resourceType":"Patient"}""")], partitions: 1);
        var lake = Lake();
        var ingestor = await PayloadIngestor.OpenAsync(lake, new IngestOptions());

        var summary = await new KafkaIngestor(ingestor, Options()).RunAsync();

        Assert.Equal(3, summary.Resources);
        Assert.Equal(1, summary.Deleted);
        Assert.Equal(2, summary.Quarantined);
        var current = await ingestor.Bronze.ReadCurrentAsync();
        Assert.Equal(["Patient/p1", "Patient/p2", "Patient/p3"], current.Keys.Order(StringComparer.Ordinal));
        Assert.True(current["Patient/p3"].Deleted);
        var quarantined = await ingestor.Quarantine.ReadAllAsync();
        Assert.Equal(["fhir/0/1", "fhir/0/3"], quarantined.Select(q => q.Location).Order(StringComparer.Ordinal));
        Assert.All(quarantined, q => Assert.Equal("kafka", q.Source));
    }

    /// <summary>Runs an action on each landed batch, on the consuming thread (unlike <see cref="Progress{T}"/>).</summary>
    private sealed class Progress(Action action) : IProgress<PayloadResult>
    {
        public void Report(PayloadResult value) => action();
    }
}
