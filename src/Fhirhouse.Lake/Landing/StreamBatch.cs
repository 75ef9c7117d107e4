namespace Fhirhouse.Lake.Landing;

/// <summary>
/// An NDJSON payload cut from an ordered stream (one Kafka partition): line N is the message at
/// <c>Positions[N - 1]</c> (increasing). Its rows land exactly once by stream position rather than by content: bronze
/// and quarantine commits carry the Delta txn (<see cref="AppId"/>, position of the chunk's last line), and a line
/// whose position a table already recorded is skipped, however a replay cuts the stream into batches.
/// </summary>
/// <param name="AppId">The txn application id, e.g. <c>kafka:group/topic/partition</c>.</param>
/// <param name="Positions">The stream position of each line, in line order.</param>
/// <param name="Locate">Where a position is, for quarantine rows (e.g. <c>topic/partition/offset</c>).</param>
public sealed record StreamBatch(string AppId, IReadOnlyList<long> Positions, Func<long, string> Locate);
