using Confluent.Kafka;

namespace Fhirhouse.Ingest.Tests.Sources;

/// <summary>
/// librdkafka's in-process mock cluster (one broker on loopback), owned by a producer and gone on dispose. Topics are
/// created on first use with the mock's default of <see cref="Partitions"/> partitions.
/// </summary>
internal sealed class MockKafkaCluster : IDisposable
{
    private readonly IProducer<Null, byte[]> _producer;

    public const int Partitions = 4;

    public MockKafkaCluster(string topic)
    {
        var config = new ProducerConfig { BootstrapServers = "127.0.0.1:1", Acks = Acks.All };
        config.Set("test.mock.num.brokers", "1");
        _producer = new ProducerBuilder<Null, byte[]>(config).Build();
        using var admin = new DependentAdminClientBuilder(_producer.Handle).Build();
        var metadata = admin.GetMetadata(topic, TimeSpan.FromSeconds(10));
        if (metadata.Topics.Single().Partitions.Count != Partitions)
        {
            throw new InvalidOperationException($"The mock cluster created '{topic}' with {metadata.Topics.Single().Partitions.Count} partitions, not {Partitions}.");
        }

        var broker = metadata.Brokers.Single();
        BootstrapServers = $"{broker.Host}:{broker.Port}";
        Topic = topic;
    }

    public string BootstrapServers { get; }

    public string Topic { get; }

    /// <summary>Produces the values round-robin over the partitions (keyless), waiting for every acknowledgement.</summary>
    public void Produce(IEnumerable<byte[]> values, int partitions = Partitions)
    {
        var i = 0;
        foreach (var value in values)
        {
            _producer.Produce(new TopicPartition(Topic, new Partition(i++ % partitions)), new Message<Null, byte[]> { Value = value });
        }

        _producer.Flush(TimeSpan.FromSeconds(30));
    }

    public void Dispose() => _producer.Dispose();
}
