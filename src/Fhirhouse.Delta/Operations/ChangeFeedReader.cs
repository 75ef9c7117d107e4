using System.Runtime.CompilerServices;
using Fhirhouse.Delta.Actions;
using Fhirhouse.Delta.Schema;

namespace Fhirhouse.Delta.Operations;

/// <summary>The change data feed: row-level changes between two versions, from cdc files or from added and removed files.</summary>
internal static class ChangeFeedReader
{
    /// <summary>The column of a change data file that says what happened to the row.</summary>
    public const string ChangeTypeColumn = "_change_type";

    /// <summary>The changes of versions <paramref name="fromVersion"/>..<paramref name="toVersion"/>, oldest first (see <see cref="DeltaTable.ReadChangesAsync"/>).</summary>
    public static async IAsyncEnumerable<object?[]> ReadAsync(DeltaTable table, long fromVersion, long? toVersion, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var snapshot = await table.GetSnapshotAsync(toVersion, cancellationToken).ConfigureAwait(false);
        if (fromVersion < 0 || fromVersion > snapshot.Version)
        {
            throw new ArgumentOutOfRangeException(nameof(fromVersion), fromVersion, $"Table '{table.Path}' has versions 0..{snapshot.Version}.");
        }

        if (await table.GetEarliestCommitVersionAsync(cancellationToken).ConfigureAwait(false) is var earliest && fromVersion < earliest)
        {
            throw new ArgumentOutOfRangeException(nameof(fromVersion), fromVersion,
                $"Table '{table.Path}': the change feed from version {fromVersion} is gone (the log was cleaned up; its oldest commit is version {earliest}): rebuild what follows it from its current version.");
        }

        var schema = snapshot.Schema;
        var cdcSchema = new StructType([.. schema.Fields, new StructField(ChangeTypeColumn, PrimitiveType.String)]);
        for (var version = fromVersion; version <= snapshot.Version; version++)
        {
            var actions = await table.Log.ReadCommitAsync(version, cancellationToken).ConfigureAwait(false);
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
