using Fhirhouse.Lake;
using Fhirhouse.Delta;
using Fhirhouse.Delta.Columnar;
using Fhirhouse.Delta.Schema;
using Fhirhouse.Delta.Transactions;
using Fhirhouse.Lake.Tables;
using Fhirhouse.Storage;

namespace Fhirhouse.Lake.Bronze;

/// <summary>
/// The bronze Delta table <c>fhir_resources</c>, partitioned by resource type, with the change data feed on so that the
/// views downstream update incrementally. The current version of a resource is its row with the greatest
/// (<c>last_updated</c>, numeric <c>version_id</c>, <c>ingested_at</c>, <c>raw_line</c>); a deletion row wins when it is
/// that row.
/// </summary>
public sealed class BronzeTable
{
    /// <summary>The table's columns, in row order.</summary>
    public static StructType Schema { get; } = new(
    [
        new StructField("resource_type", PrimitiveType.String, Nullable: false),
        new StructField("id", PrimitiveType.String, Nullable: false),
        new StructField("version_id", PrimitiveType.String),
        new StructField("last_updated", PrimitiveType.Timestamp),
        new StructField("deleted", PrimitiveType.Boolean, Nullable: false),
        new StructField("patient_id", PrimitiveType.String),
        new StructField("source", PrimitiveType.String, Nullable: false),
        new StructField("raw_key", PrimitiveType.String, Nullable: false),
        new StructField("raw_line", PrimitiveType.Long, Nullable: false),
        new StructField("content_hash", PrimitiveType.String),
        new StructField("ingested_at", PrimitiveType.Timestamp, Nullable: false),
        new StructField("resource", PrimitiveType.String),
    ]);

    /// <summary>The columns of bronze's data files: <see cref="Schema"/> without the partition column, resource_type.</summary>
    public static StructType DataSchema { get; } = new([.. Schema.Fields.Where(f => f.Name != "resource_type")]);

    /// <summary>
    /// How bronze's data files write their columns: the JSON and its hash, all different, with neither dictionary nor
    /// statistics (the other columns as Delta writes them).
    /// </summary>
    public static IReadOnlyDictionary<string, ColumnWriteOptions> WriteOptions { get; } = new Dictionary<string, ColumnWriteOptions>(StringComparer.Ordinal)
    {
        ["resource"] = ColumnWriteOptions.Plain,
        ["content_hash"] = ColumnWriteOptions.Plain,
    };

    /// <summary>The table's folder.</summary>
    public const string TablePath = LakeLayout.Tables + "fhir_resources";

    /// <summary>Bronze as declared to the lake: <c>bronze.fhir_resources</c>, by resource type, with the change data feed.</summary>
    public static LakeTableDefinition Definition { get; } = new(
        "bronze.fhir_resources", TablePath, Schema, ["resource_type"],
        new Dictionary<string, string>(StringComparer.Ordinal) { ["delta.enableChangeDataFeed"] = "true" });

    private BronzeTable(DeltaTable table) => Table = table;

    /// <summary>The underlying Delta table.</summary>
    public DeltaTable Table { get; }

    /// <summary>Opens the table, creating it on first use.</summary>
    public static async Task<BronzeTable> OpenAsync(IObjectStore store, DeltaTableOptions options, CancellationToken cancellationToken = default) =>
        new(await Definition.OpenOrCreateAsync(store, options, cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// Appends a chunk's rows in one commit (one data file per resource type, written by Delta straight from the
    /// chunk's column batches); a chunk already recorded under <paramref name="txn"/> is skipped before anything is written.
    /// </summary>
    internal Task<CommitResult> AppendAsync(BronzeChunk rows, AppTransaction txn, CancellationToken cancellationToken = default) =>
        Table.AppendFilesAsync(token => Table.WriteColumnsAsync(
            [.. rows.Partitions.Select(p => (p.Value, (IReadOnlyDictionary<string, string?>)new Dictionary<string, string?>(StringComparer.Ordinal) { ["resource_type"] = p.Key }))],
            token), txn, cancellationToken);

    /// <summary>Every row of a version (latest when null).</summary>
    public async IAsyncEnumerable<BronzeRow> ReadAllAsync(long? version = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var snapshot = await Table.GetSnapshotAsync(version, cancellationToken).ConfigureAwait(false);
        await foreach (var values in snapshot.ReadRowsAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return BronzeRow.FromValues(values);
        }
    }

    /// <summary>The current version of every resource (deleted ones included, flagged), keyed by "Type/id".</summary>
    public async Task<IReadOnlyDictionary<string, BronzeRow>> ReadCurrentAsync(long? version = null, CancellationToken cancellationToken = default)
    {
        var current = new Dictionary<string, BronzeRow>(StringComparer.Ordinal);
        await foreach (var row in ReadAllAsync(version, cancellationToken).ConfigureAwait(false))
        {
            var key = row.ResourceType + "/" + row.Id;
            if (!current.TryGetValue(key, out var seen) || IsNewer(row, seen))
            {
                current[key] = row;
            }
        }

        return current;
    }

    /// <summary>The order that defines the current version (documented in docs/ingest.md).</summary>
    public static bool IsNewer(BronzeRow candidate, BronzeRow than)
    {
        var byTime = Nullable.Compare(candidate.LastUpdated, than.LastUpdated);
        if (byTime != 0)
        {
            return byTime > 0;
        }

        var byVersion = CompareVersions(candidate.VersionId, than.VersionId);
        if (byVersion != 0)
        {
            return byVersion > 0;
        }

        var byArrival = candidate.IngestedAt.CompareTo(than.IngestedAt);
        return byArrival != 0 ? byArrival > 0 : candidate.RawLine > than.RawLine;
    }

    private static int CompareVersions(string? a, string? b)
    {
        if (a is null || b is null)
        {
            return (a is null ? 0 : 1) - (b is null ? 0 : 1);
        }

        return long.TryParse(a, out var x) && long.TryParse(b, out var y) ? x.CompareTo(y) : string.CompareOrdinal(a, b);
    }
}
