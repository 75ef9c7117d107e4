using Fhirhouse.Delta.Actions;
using Fhirhouse.Delta.Log;
using Fhirhouse.Delta.Schema;
using Fhirhouse.Delta.Transactions;

namespace Fhirhouse.Delta;

/// <summary>DELETE, UPDATE and MERGE by copy-on-write: touched files are removed and their surviving rows rewritten.</summary>
public sealed partial class DeltaTable
{
    private const string ChangeTypeColumn = "_change_type";

    /// <summary>Deletes the rows for which <paramref name="predicate"/> is true (rows are <c>object?[]</c> in schema order).</summary>
    public async Task<CommitResult> DeleteAsync(Func<object?[], bool> predicate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return await RewriteAsync("DELETE", row => predicate(row) ? RowChange.Delete : RowChange.Keep, _ => null, [], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Replaces each row for which <paramref name="predicate"/> is true by <paramref name="update"/>'s result.</summary>
    public async Task<CommitResult> UpdateAsync(Func<object?[], bool> predicate, Func<object?[], object?[]> update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentNullException.ThrowIfNull(update);
        return await RewriteAsync("UPDATE", row => predicate(row) ? RowChange.Update : RowChange.Keep, update, [], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Upserts <paramref name="source"/> by the key columns: a target row whose key matches a source row is replaced by it,
    /// source rows without a match are inserted. Source keys must be unique.
    /// </summary>
    public async Task<CommitResult> MergeAsync(IEnumerable<object?[]> source, IReadOnlyList<string> keyColumns, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(keyColumns);
        var snapshot = await GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var keys = keyColumns.Select(c => snapshot.Schema.IndexOf(c) is var i and >= 0 ? i : throw new ArgumentException($"Key column '{c}' is not in the schema.", nameof(keyColumns))).ToArray();
        var bySource = new Dictionary<string, object?[]>(StringComparer.Ordinal);
        foreach (var row in source)
        {
            if (!bySource.TryAdd(RowKey.Of(row, keys), row))
            {
                throw new ArgumentException($"Two source rows share the key {RowKey.Of(row, keys).Replace('\u0001', ',')}: MERGE needs unique source keys.", nameof(source));
            }
        }

        var matched = new HashSet<string>(StringComparer.Ordinal);
        return await RewriteAsync(
            "MERGE",
            row =>
            {
                var key = RowKey.Of(row, keys);
                if (!bySource.ContainsKey(key))
                {
                    return RowChange.Keep;
                }

                matched.Add(key);
                return RowChange.Update;
            },
            row => bySource[RowKey.Of(row, keys)],
            () => bySource.Where(kv => !matched.Contains(kv.Key)).Select(kv => kv.Value).ToList(),
            cancellationToken).ConfigureAwait(false);
    }

    private Task<CommitResult> RewriteAsync(string operation, Func<object?[], RowChange> decide, Func<object?[], object?[]?> update, List<object?[]> inserts, CancellationToken cancellationToken) =>
        RewriteAsync(operation, decide, update, () => inserts, cancellationToken);

    private async Task<CommitResult> RewriteAsync(
        string operation,
        Func<object?[], RowChange> decide,
        Func<object?[], object?[]?> update,
        Func<List<object?[]>> inserts,
        CancellationToken cancellationToken)
    {
        var snapshot = await GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        TableFeatures.EnsureWritable(snapshot.Protocol, snapshot.Metadata, Path);
        if (TableFeatures.IsAppendOnly(snapshot.Metadata))
        {
            throw new InvalidOperationException($"Table '{Path}' is append-only (delta.appendOnly = true): {operation} is not allowed.");
        }

        var transaction = new Transaction(this, snapshot.Version, operation) { ReadWholeTable = true };
        var now = Options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var kept = new List<object?[]>();
        var changes = new List<object?[]>();
        var cdf = snapshot.Metadata.ChangeDataFeedEnabled;
        long deleted = 0, updated = 0;
        foreach (var file in snapshot.Files)
        {
            transaction.ReadFiles.Add(DeltaPath.Canonical(file.Path));
            var rows = await snapshot.ReadFileAsync(file, cancellationToken).ConfigureAwait(false);
            var touched = false;
            var survivors = new List<object?[]>(rows.Count);
            foreach (var row in rows)
            {
                switch (decide(row))
                {
                    case RowChange.Keep:
                        survivors.Add(row);
                        break;
                    case RowChange.Delete:
                        touched = true;
                        deleted++;
                        if (cdf)
                        {
                            changes.Add([.. row, "delete"]);
                        }

                        break;
                    case RowChange.Update:
                        touched = true;
                        updated++;
                        var after = update(row) ?? throw new InvalidOperationException("An update returned no row.");
                        if (after.Length != row.Length)
                        {
                            throw new ArgumentException($"An updated row has {after.Length} values but the table has {row.Length} columns.");
                        }

                        survivors.Add(after);
                        if (cdf)
                        {
                            changes.Add([.. row, "update_preimage"]);
                            changes.Add([.. after, "update_postimage"]);
                        }

                        break;
                }
            }

            if (touched)
            {
                transaction.Add(Remove(file, now));
                kept.AddRange(survivors);
            }
        }

        var newRows = inserts();
        if (cdf)
        {
            changes.AddRange(newRows.Select(r => (object?[])[.. r, "insert"]));
        }

        kept.AddRange(newRows);
        if (transaction.FilesRemoved == 0 && kept.Count == 0)
        {
            return new CommitResult(snapshot.Version, true, 0, 0);
        }

        var writer = NewFileWriter(snapshot);
        transaction.AddRange(await writer.WriteAsync(kept, "", "part-00000", cancellationToken).ConfigureAwait(false));
        if (cdf && changes.Count > 0)
        {
            transaction.AddRange(await WriteChangesAsync(snapshot, changes, cancellationToken).ConfigureAwait(false));
        }

        transaction.Parameters["numDeletedRows"] = deleted.ToString(System.Globalization.CultureInfo.InvariantCulture);
        transaction.Parameters["numUpdatedRows"] = updated.ToString(System.Globalization.CultureInfo.InvariantCulture);
        transaction.Parameters["numInsertedRows"] = newRows.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var version = await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new CommitResult(version, false, transaction.FilesAdded, transaction.FilesRemoved);
    }

    private async Task<IEnumerable<AddCdcFile>> WriteChangesAsync(Snapshot snapshot, List<object?[]> changes, CancellationToken cancellationToken)
    {
        var schema = new StructType([.. snapshot.Schema.Fields, new StructField(ChangeTypeColumn, PrimitiveType.String)]);
        var metadata = snapshot.Metadata with { SchemaString = SchemaJson.Serialize(schema) };
        var writer = new DataFileWriter(Log.Parquet, Path, metadata, Options.TimeProvider, Options.MaxRowsPerFile);
        var adds = await writer.WriteAsync(changes, "_change_data/", "cdc-00000", cancellationToken).ConfigureAwait(false);
        return adds.Select(a => new AddCdcFile(a.Path, a.PartitionValues, a.Size, false));
    }

    private enum RowChange
    {
        Keep,
        Delete,
        Update,
    }
}
