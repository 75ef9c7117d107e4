using Fhirhouse.Lake;
using Fhirhouse.Delta;
using Fhirhouse.Delta.Schema;
using Fhirhouse.Delta.Transactions;
using Fhirhouse.Lake.Tables;
using Fhirhouse.Storage;

namespace Fhirhouse.Lake.Quarantine;

/// <summary>The Delta table <c>quarantine</c>: what was received and refused, never dropped.</summary>
public sealed class QuarantineTable
{
    public static StructType Schema { get; } = new(
    [
        new StructField("source", PrimitiveType.String, Nullable: false),
        new StructField("raw_key", PrimitiveType.String, Nullable: false),
        new StructField("raw_line", PrimitiveType.Long, Nullable: false),
        new StructField("location", PrimitiveType.String, Nullable: false),
        new StructField("reason", PrimitiveType.String, Nullable: false),
        new StructField("resource_type", PrimitiveType.String),
        new StructField("id", PrimitiveType.String),
        new StructField("received_at", PrimitiveType.Timestamp, Nullable: false),
    ]);

    /// <summary>The table's folder.</summary>
    public const string TablePath = LakeLayout.Tables + "quarantine";

    /// <summary>The quarantine as declared to the lake: <c>bronze.quarantine</c>.</summary>
    public static LakeTableDefinition Definition { get; } = new("bronze.quarantine", TablePath, Schema);

    private QuarantineTable(DeltaTable table) => Table = table;

    public DeltaTable Table { get; }

    public static async Task<QuarantineTable> OpenAsync(IObjectStore store, DeltaTableOptions options, CancellationToken cancellationToken = default) =>
        new(await Definition.OpenOrCreateAsync(store, options, cancellationToken).ConfigureAwait(false));

    public Task<CommitResult> AppendAsync(IReadOnlyList<QuarantineRow> rows, AppTransaction txn, CancellationToken cancellationToken = default) =>
        Table.AppendAsync(rows.Select(r => r.ToValues()), txn, cancellationToken);

    public async Task<IReadOnlyList<QuarantineRow>> ReadAllAsync(CancellationToken cancellationToken = default)
    {
        var snapshot = await Table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var rows = new List<QuarantineRow>();
        await foreach (var values in snapshot.ReadRowsAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(QuarantineRow.FromValues(values));
        }

        return rows;
    }
}
