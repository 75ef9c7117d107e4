using Fhirhouse.Ingest.Files;
using Confluent.Kafka;
using Fhirhouse.Delta;
using Fhirhouse.Lake.Landing;

namespace Fhirhouse.Ingest.Sources.Kafka;

/// <summary>
/// <c>fhirhouse ingest kafka</c>: a consumer in a consumer group whose message values are FHIR resources or Bundles.
/// Each batch is landed per partition, exactly once: the messages become one NDJSON payload of the raw zone, landed
/// into bronze under the Delta txn <c>kafka:group/topic/partition</c> at version = the batch's last offset; the offsets
/// are committed to Kafka only after that, and on (re)assignment each partition is sought to the offset after the one
/// bronze recorded, so a crash between the Delta commit and the offset commit lands nothing twice.
/// </summary>
public sealed class KafkaIngestor(PayloadIngestor ingestor, KafkaIngestOptions options)
{
    private static readonly TimeSpan s_pollSlice = TimeSpan.FromMilliseconds(100);

    /// <summary>How much longer than the idle time a consumer waits for its first assignment (joining a group takes seconds).</summary>
    private static readonly TimeSpan s_joinGrace = TimeSpan.FromSeconds(30);
    private readonly KafkaIngestOptions _options = options.Validate();

    /// <summary>
    /// Consumes until cancelled, idle (<see cref="KafkaIngestOptions.UntilIdle"/>) or the message limit, landing each
    /// batch; <paramref name="landed"/> hears of each partition's batch once it is in the lake and before its offsets are
    /// committed. Messages polled but not landed when it stops are left to the next run (their offsets stay uncommitted).
    /// </summary>
    public Task<IngestSummary> RunAsync(IProgress<PayloadResult>? landed = null, CancellationToken cancellationToken = default) =>
        Task.Run(() => ConsumeAsync(landed, cancellationToken), CancellationToken.None);

    private async Task<IngestSummary> ConsumeAsync(IProgress<PayloadResult>? landed, CancellationToken cancellationToken)
    {
        var time = ingestor.Options.Time;
        var results = new List<PayloadResult>();
        var pending = new SortedDictionary<int, List<ConsumeResult<Ignore, byte[]?>>>();
        var lastMessage = time.GetTimestamp();
        var assigned = false;
        var toResume = new List<int>();
        using var consumer = new ConsumerBuilder<Ignore, byte[]?>(ConsumerConfig())
            .SetPartitionsAssignedHandler((_, partitions) =>
            {
                // Joining the group takes a while: the idle clock starts once partitions are assigned.
                lastMessage = time.GetTimestamp();
                assigned = true;

                // Where bronze says to resume is read asynchronously on the consuming loop (the callback is synchronous):
                // the partitions start from the group's committed offset and are moved there before anything lands.
                toResume.AddRange(partitions.Select(p => p.Partition.Value));
                return partitions.Select(p => new TopicPartitionOffset(p, Offset.Unset)).ToList();
            })
            .SetPartitionsRevokedHandler((_, partitions) =>
            {
                // A rebalance is under way: not idle until the next assignment.
                assigned = false;
                lastMessage = time.GetTimestamp();
                Forget(pending, partitions);
            })
            .SetPartitionsLostHandler((_, partitions) =>
            {
                assigned = false;
                lastMessage = time.GetTimestamp();
                Forget(pending, partitions);
            })
            .Build();
        consumer.Subscribe(_options.Topic);
        long consumed = 0;
        var buffered = 0;
        long? batchStarted = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var message = consumer.Consume(s_pollSlice);
                if (toResume.Count > 0)
                {
                    var (moved, dropped) = await ResumeAsync(consumer, toResume, pending, cancellationToken).ConfigureAwait(false);
                    buffered -= dropped;
                    consumed -= dropped;
                    if (message is not null && moved.Contains(message.Partition.Value))
                    {
                        message = null;
                    }
                }

                if (message is { IsPartitionEOF: false })
                {
                    if (!pending.TryGetValue(message.Partition.Value, out var list))
                    {
                        pending[message.Partition.Value] = list = [];
                    }

                    list.Add(message);
                    buffered++;
                    consumed++;
                    batchStarted ??= time.GetTimestamp();
                    lastMessage = time.GetTimestamp();
                }

                var limitReached = consumed >= _options.MaxMessages;
                var idle = _options.UntilIdle is { } until && time.GetElapsedTime(lastMessage) >= (assigned ? until : until + s_joinGrace);
                if (buffered > 0 && (buffered >= _options.BatchSize || limitReached || idle || time.GetElapsedTime(batchStarted!.Value) >= _options.BatchTime))
                {
                    await LandAsync(consumer, pending, results, landed, cancellationToken).ConfigureAwait(false);
                    buffered = 0;
                    batchStarted = null;
                }

                if (limitReached || idle)
                {
                    break;
                }
            }

            consumer.Close();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            consumer.Close();
        }

        return new IngestSummary(results);
    }

    private ConsumerConfig ConsumerConfig() => ConsumerConfigOf(_options);

    /// <summary>
    /// The consumer's librdkafka settings under the TLS rule of <see cref="KafkaIngestOptions.Tls"/>: <c>ssl</c> unless
    /// every broker is on loopback (or <c>security.protocol</c> says otherwise), the certificate and host name verified,
    /// the CA bundle and client certificate as given; a plaintext protocol to a network broker is refused unless allowed.
    /// </summary>
    internal static ConsumerConfig ConsumerConfigOf(KafkaIngestOptions options)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = options.BootstrapServers,
            GroupId = options.Group,
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnablePartitionEof = false,
            IsolationLevel = IsolationLevel.ReadCommitted,
        };
        var tls = options.Tls;
        var hosts = options.BootstrapServers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(HostOf).ToList();
        var allLoopback = hosts.All(Storage.Transport.TlsClientSettings.IsLoopback);
        var protocol = options.Config.GetValueOrDefault("security.protocol")?.ToLowerInvariant()
            ?? (allLoopback && tls.CaBundle is null && tls.ClientCertificate is null ? "plaintext" : "ssl");
        if (protocol is "plaintext" or "sasl_plaintext")
        {
            foreach (var host in hosts)
            {
                tls.CheckPlain(host, $"Kafka broker {host} (security.protocol {protocol})", "give --allow-insecure");
            }
        }
        else
        {
            config.SecurityProtocol = protocol == "sasl_ssl" ? SecurityProtocol.SaslSsl : SecurityProtocol.Ssl;
            config.EnableSslCertificateVerification = true;
            config.SslEndpointIdentificationAlgorithm = SslEndpointIdentificationAlgorithm.Https;
            if (tls.CaBundle is { } bundle)
            {
                _ = tls.TrustedRoots();
                config.SslCaLocation = bundle;
            }

            if (tls.ClientCertificate is { } certificate)
            {
                using var loaded = tls.LoadClientCertificate();
                config.SslCertificateLocation = certificate;
                config.SslKeyLocation = tls.ClientKey ?? certificate;
            }
        }

        foreach (var (key, value) in options.Config)
        {
            config.Set(key, value);
        }

        return config;
    }

    private static string HostOf(string server)
    {
        if (server.StartsWith('['))
        {
            var end = server.IndexOf(']', StringComparison.Ordinal);
            return end > 0 ? server[1..end] : server;
        }

        var colon = server.LastIndexOf(':');
        return colon > 0 ? server[..colon] : server;
    }

    /// <summary>
    /// Moves newly assigned partitions to where bronze says to resume (after the offset it recorded; the group's committed
    /// offset stands when it recorded none). Messages of the partitions moved that were already polled are dropped (the
    /// seek fetches them again); returns the partitions moved and how many messages were dropped.
    /// </summary>
    private async Task<(HashSet<int> Moved, int Dropped)> ResumeAsync(
        IConsumer<Ignore, byte[]?> consumer, List<int> partitions, SortedDictionary<int, List<ConsumeResult<Ignore, byte[]?>>> pending, CancellationToken cancellationToken)
    {
        var dropped = 0;
        var moved = new HashSet<int>();
        foreach (var partition in partitions.Distinct().ToList())
        {
            if (await ResumeOffsetAsync(partition, cancellationToken).ConfigureAwait(false) is not { } offset)
            {
                continue;
            }

            if (pending.Remove(partition, out var polled))
            {
                dropped += polled.Count;
            }

            try
            {
                consumer.Seek(new TopicPartitionOffset(_options.Topic, partition, offset));
                moved.Add(partition);
            }
            catch (KafkaException)
            {
                // Revoked again meanwhile: its next owner resumes from bronze in the same way.
            }
        }

        partitions.Clear();
        return (moved, dropped);
    }

    /// <summary>Where a partition resumes: after the offset bronze recorded, or null when bronze recorded none.</summary>
    private async Task<Offset?> ResumeOffsetAsync(int partition, CancellationToken cancellationToken)
    {
        var recorded = await ingestor.GetStreamPositionAsync(_options.AppIdOf(partition), cancellationToken).ConfigureAwait(false);
        return recorded is { } last ? new Offset(last + 1) : null;
    }

    private static void Forget(SortedDictionary<int, List<ConsumeResult<Ignore, byte[]?>>> pending, List<TopicPartitionOffset> partitions)
    {
        foreach (var p in partitions)
        {
            pending.Remove(p.Partition.Value);
        }
    }

    private async Task LandAsync(
        IConsumer<Ignore, byte[]?> consumer, SortedDictionary<int, List<ConsumeResult<Ignore, byte[]?>>> pending,
        List<PayloadResult> results, IProgress<PayloadResult>? landed, CancellationToken cancellationToken)
    {
        foreach (var (partition, messages) in pending)
        {
            if (messages.Count == 0)
            {
                continue;
            }

            var appId = _options.AppIdOf(partition);
            var topic = _options.Topic;
            var last = messages[^1].Offset.Value;
            var payload = await ingestor.Raw.LandAsync(KafkaPayload.Ndjson(messages.Select(m => m.Message.Value)), ".ndjson", cancellationToken).ConfigureAwait(false);
            var stream = new StreamBatch(appId, [.. messages.Select(m => m.Offset.Value)], offset => $"{topic}/{partition}/{offset}");
            var location = $"{topic}/{partition}/{messages[0].Offset.Value}-{last}";
            PayloadResult result;
            try
            {
                result = await ingestor.IngestAsync(payload, stream, "kafka", location, "application/fhir+ndjson", cancellationToken).ConfigureAwait(false);
            }
            catch (CommitConflictException)
            {
                // Another consumer of the group landed this partition meanwhile (a rebalance this one has not seen yet):
                // its commit stands; resume after what bronze now records.
                try
                {
                    if (await ResumeOffsetAsync(partition, cancellationToken).ConfigureAwait(false) is { } resume)
                    {
                        consumer.Seek(new TopicPartitionOffset(topic, partition, resume));
                    }
                }
                catch (KafkaException)
                {
                    // Already revoked from this consumer: nothing to resume here.
                }

                continue;
            }

            results.Add(result);
            landed?.Report(result);
            try
            {
                consumer.Commit([new TopicPartitionOffset(topic, partition, last + 1)]);
            }
            catch (KafkaException)
            {
                // The partition moved to another consumer: bronze's txn, not the group offset, is what its next owner resumes from.
            }
        }

        pending.Clear();
    }
}
