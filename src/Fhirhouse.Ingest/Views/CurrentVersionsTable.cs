using Fhirhouse.Delta;
using Fhirhouse.Delta.Schema;
using Fhirhouse.Delta.Transactions;
using Fhirhouse.Ingest.Bronze;
using Fhirhouse.Ingest.Lake;
using Fhirhouse.Storage;

namespace Fhirhouse.Ingest.Views;

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

    public DeltaTable Table { get; } = table;

    /// <summary>Rows per data file: a rewrite of a large lake's map holds at most this many rows per resource type in memory.</summary>
    public const int RowsPerFile = 200_000;

    public static async Task<CurrentVersionsTable> OpenAsync(IObjectStore store, DeltaTableOptions options, CancellationToken cancellationToken) =>
        new(await TableOpener.OpenOrCreateAsync(store, ViewTables.CurrentVersions, Schema, ["resource_type"],
            new Dictionary<string, string>(StringComparer.Ordinal), options with { MaxRowsPerFile = Math.Min(options.MaxRowsPerFile, RowsPerFile) },
            cancellationToken).ConfigureAwait(false));

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

    public Task<CommitResult> WriteAsync(IEnumerable<BronzeRow> current, long bronzeVersion, CancellationToken cancellationToken) =>
        Table.OverwriteAsync(
            current.Select(r => new object?[] { r.ResourceType, r.Id, r.VersionId, r.LastUpdated, r.Deleted, r.IngestedAt, r.RawKey, r.RawLine }),
            new AppTransaction(ViewTables.BronzeAppId, bronzeVersion), cancellationToken);

    /// <summary>Whether two rows are the same resource version as stored in bronze.</summary>
    public static bool SameRow(BronzeRow a, BronzeRow b) =>
        a.RawLine == b.RawLine && a.IngestedAt == b.IngestedAt && string.Equals(a.RawKey, b.RawKey, StringComparison.Ordinal)
        && string.Equals(a.Id, b.Id, StringComparison.Ordinal) && string.Equals(a.ResourceType, b.ResourceType, StringComparison.Ordinal);
}
