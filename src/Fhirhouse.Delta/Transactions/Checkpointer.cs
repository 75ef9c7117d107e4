using System.Globalization;
using System.Text.Json;
using Fhirhouse.Delta.Actions;
using Fhirhouse.Delta.Log;
using Fhirhouse.Storage;

namespace Fhirhouse.Delta.Transactions;

/// <summary>Writes classic single-file checkpoints in Spark's checkpoint schema, then <c>_last_checkpoint</c>.</summary>
internal static class Checkpointer
{
    /// <summary>Writes a checkpoint when <paramref name="version"/> is a multiple of the checkpoint interval.</summary>
    public static async Task MaybeWriteAsync(DeltaTable table, long version, CancellationToken cancellationToken)
    {
        if (version == 0 || version % table.Options.CheckpointInterval != 0)
        {
            return;
        }

        try
        {
            // The latest snapshot lists only the log after the last checkpoint; a full listing only when others committed since.
            var snapshot = await table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            if (snapshot.Version != version)
            {
                snapshot = await table.GetSnapshotAsync(version, cancellationToken).ConfigureAwait(false);
            }

            await WriteAsync(table, snapshot, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The commit is durable already; a missing checkpoint only slows the next snapshot load, and the next
            // interval writes one. Failing here would tell the caller a committed write failed.
        }
    }

    public static async Task WriteAsync(DeltaTable table, Snapshot snapshot, CancellationToken cancellationToken)
    {
        var retention = VacuumRetention.DeletedFileRetention(snapshot.Metadata);
        var horizon = table.Options.TimeProvider.GetUtcNow() - retention;
        var actions = new List<DeltaAction> { snapshot.Protocol, snapshot.Metadata };
        actions.AddRange(snapshot.State.Transactions.Values);
        actions.AddRange(snapshot.Domains.Values);
        actions.AddRange(snapshot.Files.Select(f => f with { DataChange = false }));
        actions.AddRange(snapshot.Tombstones
            .Where(t => t.DeletionTimestamp is null || DateTimeOffset.FromUnixTimeMilliseconds(t.DeletionTimestamp.Value) > horizon)
            .Select(t => t with { DataChange = false }));
        var rows = actions.Select(CheckpointSchema.ToRow).ToList();
        var log = table.Log;
        var key = log.LogPrefix + snapshot.Version.ToString("D20", CultureInfo.InvariantCulture) + ".checkpoint.parquet";
        var size = await log.Parquet.WriteAsync(key, CheckpointSchema.Schema, rows, cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("version", snapshot.Version);
            w.WriteNumber("size", rows.Count);
            w.WriteNumber("sizeInBytes", size);
            w.WriteNumber("numOfAddFiles", snapshot.Files.Count);
            w.WriteEndObject();
        }

        await log.Store.PutAsync(log.LogPrefix + "_last_checkpoint", buffer.ToArray().AsMemory(), cancellationToken).ConfigureAwait(false);
    }
}
