namespace Fhirhouse.Ingest.Sources.Kafka;

/// <summary>Where and how <see cref="KafkaIngestor"/> consumes. <see cref="Validate"/> names the bad setting.</summary>
public sealed record KafkaIngestOptions
{
    /// <summary>The brokers, <c>host:port[,host:port...]</c>.</summary>
    public required string BootstrapServers { get; init; }

    /// <summary>The topic whose message values are FHIR resources or Bundles (JSON).</summary>
    public required string Topic { get; init; }

    /// <summary>The consumer group: the partitions are shared among the group's consumers.</summary>
    public required string Group { get; init; }

    /// <summary>A batch is landed when it holds this many messages...</summary>
    public int BatchSize { get; init; } = 1000;

    /// <summary>...or when this time has passed since its first message.</summary>
    public TimeSpan BatchTime { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Stop after landing this many messages (null: no limit).</summary>
    public long? MaxMessages { get; init; }

    /// <summary>Stop once no message arrived for this long (null: run until cancelled).</summary>
    public TimeSpan? UntilIdle { get; init; }

    /// <summary>More librdkafka settings (security, <c>test.mock.num.brokers</c>...), applied last.</summary>
    public IReadOnlyDictionary<string, string> Config { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// The platform's TLS rule for the brokers (<see cref="Storage.Transport.TlsClientSettings"/>): TLS with the
    /// certificate verified against the system's roots or the CA bundle, host names checked, a client certificate for
    /// mutual TLS; a plaintext connection only to loopback brokers unless insecure connections are allowed.
    /// <c>security.protocol</c> in <see cref="Config"/> chooses SASL over TLS or plaintext explicitly.
    /// </summary>
    public Storage.Transport.TlsClientSettings Tls { get; init; } = new();

    /// <summary>The Delta txn application id of one partition: <c>kafka:group/topic/partition</c>.</summary>
    public string AppIdOf(int partition) => $"kafka:{Group}/{Topic}/{partition}";

    public KafkaIngestOptions Validate()
    {
        if (string.IsNullOrWhiteSpace(BootstrapServers) || string.IsNullOrWhiteSpace(Topic) || string.IsNullOrWhiteSpace(Group))
        {
            throw new ArgumentException("Kafka ingestion needs the bootstrap servers, a topic and a consumer group.");
        }

        if (BatchSize < 1 || BatchTime <= TimeSpan.Zero)
        {
            throw new ArgumentException($"A Kafka batch needs at least one message and a positive time (got {BatchSize} messages, {BatchTime.TotalMilliseconds} ms).");
        }

        if (MaxMessages is < 1 || UntilIdle is { } idle && idle <= TimeSpan.Zero)
        {
            throw new ArgumentException("--max-messages and --until-idle must be positive.");
        }

        _ = KafkaIngestor.ConsumerConfigOf(this);
        return this;
    }
}
