using System.Runtime.CompilerServices;
using Fhirhouse.Delta.Actions;
using Fhirhouse.Delta.Schema;

namespace Fhirhouse.Delta;

/// <summary>The change data feed: row-level changes between two versions.</summary>
public sealed partial class DeltaTable
{
    /// <summary>The column of a change data file that says what happened to the row.</summary>
    internal const string ChangeTypeColumn = "_change_type";

    /// <summary>
    /// The changes of versions <paramref name="fromVersion"/>..<paramref name="toVersion"/> (latest when null), oldest first.
    /// Each row is the table row followed by <c>_change_type</c> (insert, delete, update_preimage, update_postimage),
    /// <c>_commit_version</c> (long) and <c>_commit_timestamp</c> (DateTimeOffset). Commits with cdc files yield them;
    /// other commits yield their added files as inserts and removed files as deletes. Requires
    /// <c>delta.enableChangeDataFeed</c> = true for updates and deletes to be exact.
    /// </summary>
    public async IAsyncEnumerable<object?[]> ReadChangesAsync(long fromVersion, long? toVersion = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var snapshot = await GetSnapshotAsync(toVersion, cancellationToken).ConfigureAwait(false);
        if (fromVersion < 0 || fromVersion > snapshot.Version)
        {
            throw new ArgumentOutOfRangeException(nameof(fromVersion), fromVersion, $"Table '{Path}' has versions 0..{snapshot.Version}.");
        }

        var schema = snapshot.Schema;
        var cdcSchema = new StructType([.. schema.Fields, new StructField(ChangeTypeColumn, PrimitiveType.String)]);
        for (var version = fromVersion; version <= snapshot.Version; version++)
        {
            var actions = await Log.ReadCommitAsync(version, cancellationToken).ConfigureAwait(false);
            var info = actions.OfType<CommitInfo>().FirstOrDefault();
            var timestamp = info?.Timestamp is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : snapshot.Timestamp;
            var cdcFiles = actions.OfType<AddCdcFile>().ToList();
            if (cdcFiles.Count > 0)
            {
                foreach (var cdc in cdcFiles)
                {
                    foreach (var row in await snapshot.ReadDataFileAsync(cdc.Path, cdc.PartitionValues, null, cdcSchema, cancellationToken).ConfigureAwait(false))
                    {
                        yield return [.. row, version, timestamp];
                    }
                }

                continue;
            }

            foreach (var action in actions)
            {
                var (rows, kind) = action switch
                {
                    AddFile { DataChange: true } add => (await snapshot.ReadDataFileAsync(add.Path, add.PartitionValues, add.DeletionVector, schema, cancellationToken).ConfigureAwait(false), "insert"),
                    RemoveFile { DataChange: true } remove => (await snapshot.ReadDataFileAsync(remove.Path, remove.PartitionValues ?? new Dictionary<string, string?>(), remove.DeletionVector, schema, cancellationToken).ConfigureAwait(false), "delete"),
                    _ => (null, ""),
                };
                foreach (var row in rows ?? [])
                {
                    yield return [.. row, kind, version, timestamp];
                }
            }
        }
    }
}
