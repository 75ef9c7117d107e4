using Fhirhouse.Lake;
using Fhirhouse.Lake.Tables;
using Fhirhouse.Delta;
using Fhirhouse.Delta.Schema;
using Fhirhouse.Storage;

namespace Fhirhouse.Governance.Audit;

/// <summary>
/// The append-only audit trail, the Delta table <c>tables/audit_log</c> (one commit per entry, never updated or
/// deleted by Fhirhouse): event id, time (the injected clock), user, role, purpose, entry point, query, tables, rows,
/// outcome, reason. An append that fails throws: the operation it records must fail with it.
/// </summary>
public sealed class AuditLog
{
    public const string TablePath = LakeLayout.Tables + "audit_log";

    /// <summary>The table's columns, in row order.</summary>
    public static StructType Schema { get; } = new(
    [
        new StructField("event_id", PrimitiveType.String, Nullable: false),
        new StructField("time", PrimitiveType.Timestamp, Nullable: false),
        new StructField("user", PrimitiveType.String, Nullable: false),
        new StructField("role", PrimitiveType.String, Nullable: false),
        new StructField("purpose", PrimitiveType.String, Nullable: false),
        new StructField("entry_point", PrimitiveType.String, Nullable: false),
        new StructField("query", PrimitiveType.String),
        new StructField("tables", PrimitiveType.String, Nullable: false),
        new StructField("rows", PrimitiveType.Long, Nullable: false),
        new StructField("outcome", PrimitiveType.String, Nullable: false),
        new StructField("reason", PrimitiveType.String),
    ]);

    /// <summary>The audit log as declared to the lake: <c>governance.audit_log</c>.</summary>
    public static LakeTableDefinition Definition { get; } = new("governance.audit_log", TablePath, Schema);

    private readonly IObjectStore _store;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _open = new(1, 1);
    private DeltaTable? _table;

    public AuditLog(IObjectStore store, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        _store = store;
        _time = time;
    }

    /// <summary>Appends <paramref name="entry"/> with a new event id and the current time; returns the row written.</summary>
    public async Task<AuditRecord> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var record = new AuditRecord(Guid.NewGuid().ToString("D"), _time.GetUtcNow(), entry);
        var table = await TableAsync(create: true, cancellationToken).ConfigureAwait(false);
        try
        {
            await table!.AppendAsync([Row(record)], cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new IOException($"The audit log ({TablePath}) could not be written: {e.Message}", e);
        }

        return record;
    }

    /// <summary>Every entry at or after <paramref name="since"/> (all when null), oldest first.</summary>
    public async Task<IReadOnlyList<AuditRecord>> ListAsync(DateTimeOffset? since = null, CancellationToken cancellationToken = default)
    {
        var table = await TableAsync(create: false, cancellationToken).ConfigureAwait(false);
        if (table is null)
        {
            return [];
        }

        var snapshot = await table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var records = new List<AuditRecord>();
        await foreach (var row in snapshot.ReadRowsAsync(cancellationToken).ConfigureAwait(false))
        {
            var record = FromRow(row);
            if (since is null || record.Time >= since)
            {
                records.Add(record);
            }
        }

        return records.OrderBy(r => r.Time).ToList();
    }

    private async Task<DeltaTable?> TableAsync(bool create, CancellationToken cancellationToken)
    {
        if (_table is not null)
        {
            return _table;
        }

        await _open.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_table is not null)
            {
                return _table;
            }

            var options = new DeltaTableOptions { TimeProvider = _time };
            if (!create)
            {
                return _table = await Definition.OpenIfExistsAsync(_store, options, cancellationToken).ConfigureAwait(false);
            }

            try
            {
                return _table = await Definition.OpenOrCreateAsync(_store, options, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new IOException($"The audit log ({TablePath}) could not be created: {e.Message}", e);
            }
        }
        finally
        {
            _open.Release();
        }
    }

    private static object?[] Row(AuditRecord record)
    {
        var e = record.Entry;
        return [record.EventId, record.Time, e.User, e.Role, e.Purpose, e.EntryPoint, e.Query, string.Join(',', e.Tables), e.Rows, e.Outcome, e.Reason];
    }

    private static AuditRecord FromRow(object?[] row) =>
        new((string)row[0]!, (DateTimeOffset)row[1]!, new AuditEntry(
            (string)row[2]!, (string)row[3]!, (string)row[4]!, (string)row[5]!, (string?)row[6],
            ((string)row[7]!).Split(',', StringSplitOptions.RemoveEmptyEntries), (long)row[8]!, (string)row[9]!, (string?)row[10]));
}
