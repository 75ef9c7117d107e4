using Fhirhouse.Delta;
using Fhirhouse.Delta.Columnar;
using Fhirhouse.Delta.Schema;
using Fhirhouse.Delta.Transactions;
using Fhirhouse.Lake.Bronze;
using Fhirhouse.Lake.Tables;
using Fhirhouse.Storage;

namespace Fhirhouse.Views;

/// <summary>
/// <c>tables/fhir_current</c>: one row per resource naming its current bronze row (ordering fields, raw key and line,
/// deleted). Rewritten whole at each bronze version it catches up to, under the transaction (bronze, version).
/// </summary>
internal sealed class CurrentVersionsTable(DeltaTable table)
{
    /// <summary>The bronze columns that order versions and point at the row, in bronze's own definitions.</summary>
    public static StructType Schema { get; } = new(
        [.. new[] { "resource_type", "id", "version_id", "last_updated", "deleted", "ingested_at", "raw_key", "raw_line" }
            .Select(name => BronzeTable.Schema.Fields[BronzeTable.Schema.IndexOf(name)])]);

    /// <summary>The columns of its data files (<see cref="Schema"/> without the partition column).</summary>
    private static StructType DataSchema { get; } = new([.. Schema.Fields.Skip(1)]);

    /// <summary>The table as declared to the lake: <c>silver.fhir_current</c>, by resource type.</summary>
    public static LakeTableDefinition Definition { get; } = new("silver.fhir_current", ViewTables.CurrentVersions, Schema, ["resource_type"]);

    public DeltaTable Table { get; } = table;

    /// <summary>Rows per data file: a rewrite of a large lake's map holds at most this many rows per resource type in memory.</summary>
    public const int RowsPerFile = 200_000;

    public static async Task<CurrentVersionsTable> OpenAsync(IObjectStore store, DeltaTableOptions options, CancellationToken cancellationToken) =>
        new(await Definition.OpenOrCreateAsync(store, options with { MaxRowsPerFile = Math.Min(options.MaxRowsPerFile, RowsPerFile) }, cancellationToken).ConfigureAwait(false));

    /// <summary>The current row of every resource (without its JSON), keyed by "Type/id".</summary>
    public async Task<Dictionary<string, BronzeRow>> ReadAsync(CancellationToken cancellationToken)
    {
        var snapshot = await Table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var current = new Dictionary<string, BronzeRow>(StringComparer.Ordinal);
        await foreach (var v in snapshot.ReadRowsAsync(cancellationToken).ConfigureAwait(false))
        {
            var row = new BronzeRow((string)v[0]!, (string)v[1]!, (string?)v[2], (DateTimeOffset?)v[3], (bool)v[4]!, null, "", (string)v[6]!, (long)v[7]!, null, (DateTimeOffset)v[5]!, null);
            current[row.ResourceType + "/" + row.Id] = row;
        }

        return current;
    }

    /// <summary>Replaces the table's rows with <paramref name="current"/>, recording (bronze, <paramref name="bronzeVersion"/>).</summary>
    public Task<CommitResult> WriteAsync(IEnumerable<BronzeRow> current, long bronzeVersion, CancellationToken cancellationToken) =>
        Table.OverwriteFilesAsync(token => WriteFilesAsync(current, token), new AppTransaction(DerivedTable.BronzeAppId, bronzeVersion), cancellationToken);

    /// <summary>The rows by column, a batch per resource type written as a file each time it holds <see cref="RowsPerFile"/> rows.</summary>
    private async Task<IReadOnlyList<DataFile>> WriteFilesAsync(IEnumerable<BronzeRow> current, CancellationToken cancellationToken)
    {
        var batches = new Dictionary<string, ColumnBatch>(StringComparer.Ordinal);
        var files = new List<DataFile>();
        try
        {
            foreach (var row in current)
            {
                if (!batches.TryGetValue(row.ResourceType, out var batch))
                {
                    batches[row.ResourceType] = batch = new ColumnBatch(DataSchema);
                }

                batch[0].Append(row.Id);
                if (row.VersionId is { } versionId)
                {
                    batch[1].Append(versionId);
                }
                else
                {
                    batch[1].AppendNull();
                }

                if (row.LastUpdated is { } lastUpdated)
                {
                    batch[2].Append(lastUpdated);
                }
                else
                {
                    batch[2].AppendNull();
                }

                batch[3].Append(row.Deleted);
                batch[4].Append(row.IngestedAt);
                batch[5].Append(row.RawKey);
                batch[6].Append(row.RawLine);
                batch.EndRow();
                if (batch.Count == RowsPerFile)
                {
                    files.Add(await WriteFileAsync(row.ResourceType, batch, cancellationToken).ConfigureAwait(false));
                }
            }

            foreach (var (resourceType, batch) in batches)
            {
                if (batch.Count > 0)
                {
                    files.Add(await WriteFileAsync(resourceType, batch, cancellationToken).ConfigureAwait(false));
                }
            }

            return files;
        }
        finally
        {
            foreach (var batch in batches.Values)
            {
                batch.Dispose();
            }
        }
    }

    private async Task<DataFile> WriteFileAsync(string resourceType, ColumnBatch batch, CancellationToken cancellationToken)
    {
        var file = await Table.WriteColumnsAsync(batch, new Dictionary<string, string?>(StringComparer.Ordinal) { ["resource_type"] = resourceType }, cancellationToken).ConfigureAwait(false);
        batch.Clear();
        return file;
    }

    /// <summary>Whether two rows are the same resource version as stored in bronze.</summary>
    public static bool SameRow(BronzeRow a, BronzeRow b) =>
        a.RawLine == b.RawLine && a.IngestedAt == b.IngestedAt && string.Equals(a.RawKey, b.RawKey, StringComparison.Ordinal)
        && string.Equals(a.Id, b.Id, StringComparison.Ordinal) && string.Equals(a.ResourceType, b.ResourceType, StringComparison.Ordinal);
}
