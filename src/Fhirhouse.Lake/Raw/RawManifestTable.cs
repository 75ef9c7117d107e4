using Fhirhouse.Lake;
using Fhirhouse.Delta;
using Fhirhouse.Delta.Schema;
using Fhirhouse.Delta.Transactions;
using Fhirhouse.Lake.Tables;
using Fhirhouse.Storage;

namespace Fhirhouse.Lake.Raw;

/// <summary>The Delta table <c>bronze.raw_manifest</c>: one row per payload landed in the raw zone.</summary>
public sealed class RawManifestTable
{
    public static StructType Schema { get; } = new(
    [
        new StructField("raw_key", PrimitiveType.String, Nullable: false),
        new StructField("sha256", PrimitiveType.String, Nullable: false),
        new StructField("source", PrimitiveType.String, Nullable: false),
        new StructField("location", PrimitiveType.String, Nullable: false),
        new StructField("media_type", PrimitiveType.String, Nullable: false),
        new StructField("size", PrimitiveType.Long, Nullable: false),
        new StructField("received_at", PrimitiveType.Timestamp, Nullable: false),
        new StructField("status", PrimitiveType.String, Nullable: false),
        new StructField("resources", PrimitiveType.Long, Nullable: false),
        new StructField("quarantined", PrimitiveType.Long, Nullable: false),
    ]);

    /// <summary>The table's folder.</summary>
    public const string TablePath = LakeLayout.Tables + "raw_manifest";

    /// <summary>The manifest as declared to the lake: <c>bronze.raw_manifest</c>.</summary>
    public static LakeTableDefinition Definition { get; } = new("bronze.raw_manifest", TablePath, Schema);

    private RawManifestTable(DeltaTable table) => Table = table;

    public DeltaTable Table { get; }

    public static async Task<RawManifestTable> OpenAsync(IObjectStore store, DeltaTableOptions options, CancellationToken cancellationToken = default) =>
        new(await Definition.OpenOrCreateAsync(store, options, cancellationToken).ConfigureAwait(false));

    public Task<CommitResult> AppendAsync(ManifestRow row, AppTransaction txn, CancellationToken cancellationToken = default) =>
        Table.AppendAsync([row.ToValues()], txn, cancellationToken);

    /// <summary>True when the payload's manifest row was committed under <paramref name="appId"/>: it was fully ingested.</summary>
    public async Task<bool> IsRecordedAsync(string appId, CancellationToken cancellationToken = default)
    {
        var snapshot = await Table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        return snapshot.GetTransactionVersion(appId) is not null;
    }

    public async Task<IReadOnlyList<ManifestRow>> ReadAllAsync(CancellationToken cancellationToken = default)
    {
        var snapshot = await Table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var rows = new List<ManifestRow>();
        await foreach (var values in snapshot.ReadRowsAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(ManifestRow.FromValues(values));
        }

        return rows;
    }
}
