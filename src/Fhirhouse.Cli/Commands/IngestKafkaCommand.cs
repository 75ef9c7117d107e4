using System.CommandLine;
using System.Text.Json;
using Fhirhouse.Lake.Landing;
using Fhirhouse.Ingest.Sources.Kafka;

namespace Fhirhouse.Cli.Commands;

/// <summary><c>fhirhouse ingest kafka</c>: consumes FHIR resources or Bundles from a topic into the lake, exactly once.</summary>
internal static class IngestKafkaCommand
{
    public static Command Create(CliContext context)
    {
        var lake = new LakeOptionSet();
        var servers = new Option<string>("--bootstrap-servers") { Description = "The brokers, host:port[,host:port...].", Required = true };
        var topic = new Option<string>("--topic") { Description = "The topic whose message values are FHIR resources or Bundles (JSON).", Required = true };
        var group = new Option<string>("--group") { Description = "The consumer group; run several workers with the same group to share the partitions.", DefaultValueFactory = _ => "fhirhouse" };
        var batch = new Option<int>("--batch-size") { Description = "Messages per landed batch (per partition at most).", DefaultValueFactory = _ => 1000 };
        var batchMs = new Option<int>("--batch-ms") { Description = "Longest time a batch waits for more messages, in milliseconds.", DefaultValueFactory = _ => 1000 };
        var max = new Option<long?>("--max-messages") { Description = "Stop after landing this many messages." };
        var idle = new Option<double?>("--until-idle") { Description = "Stop once no message arrived for this many seconds (default: run until Ctrl-C)." };
        var config = new Option<string[]>("--config") { Description = "More librdkafka settings, KEY=VALUE (security.protocol, sasl.*...).", AllowMultipleArgumentsPerToken = false };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON." };
        var command = new Command("kafka", "Consume FHIR from a Kafka topic as a consumer group member: each batch lands exactly once (Delta txn per partition), offsets committed after the lake.");
        lake.AddTo(command);
        foreach (var option in new Option[] { servers, topic, group, batch, batchMs, max, idle, config, json })
        {
            command.Options.Add(option);
        }

        var tls = new TlsClientOptionSet();
        tls.AddTo(command);

        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in parse.GetValue(config) ?? [])
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    throw new ArgumentException($"--config '{pair}': expected KEY=VALUE.");
                }

                settings[pair[..equals]] = pair[(equals + 1)..];
            }

            var options = new KafkaIngestOptions
            {
                BootstrapServers = parse.GetValue(servers)!,
                Topic = parse.GetValue(topic)!,
                Group = parse.GetValue(group)!,
                BatchSize = parse.GetValue(batch),
                BatchTime = TimeSpan.FromMilliseconds(parse.GetValue(batchMs)),
                MaxMessages = parse.GetValue(max),
                UntilIdle = parse.GetValue(idle) is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
                Config = settings,
                Tls = tls.Settings(parse),
            }.Validate();
            var store = await lake.OpenAsync(parse, context, cancellationToken, create: true).ConfigureAwait(false);
            var ingestor = await PayloadIngestor.OpenAsync(store.Objects, new IngestOptions { Time = context.Time }, cancellationToken).ConfigureAwait(false);
            var summary = await new KafkaIngestor(ingestor, options).RunAsync(
                new SynchronousProgress<PayloadResult>(r => context.Error.WriteLine($"ingest: kafka {r.Location}: {r.Resources} resources, {r.Quarantined} quarantined")),
                cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(JsonSerializer.Serialize(new { batches = summary.Payloads.Count, resources = summary.Resources, deleted = summary.Deleted, quarantined = summary.Quarantined }));
            }
            else
            {
                IngestCommand.WriteText(context.Out, summary);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
