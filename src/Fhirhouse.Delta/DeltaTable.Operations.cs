using Fhirhouse.Delta.Operations;
using Fhirhouse.Delta.Transactions;

namespace Fhirhouse.Delta;

/// <summary>DELETE, UPDATE, MERGE and replace-where, each one commit by copy-on-write (<see cref="CopyOnWrite"/>).</summary>
public sealed partial class DeltaTable
{
    /// <summary>Deletes the rows <paramref name="predicate"/> matches; files it rules out are not read.</summary>
    public async Task<CommitResult> DeleteAsync(RowPredicate predicate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var snapshot = await CopyOnWrite.WritableSnapshotAsync(this, "DELETE", cancellationToken).ConfigureAwait(false);
        var operation = new CopyOnWrite(this, snapshot, "DELETE");
        await operation.RewriteAsync(predicate.Bind(snapshot), update: null, cancellationToken).ConfigureAwait(false);
        return await operation.CommitAsync(txn: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes the rows for which <paramref name="predicate"/> is true (rows are <c>object?[]</c> in schema order).</summary>
    public Task<CommitResult> DeleteAsync(Func<object?[], bool> predicate, CancellationToken cancellationToken = default) =>
        DeleteAsync(RowPredicate.Where(predicate), cancellationToken);

    /// <summary>Replaces each row <paramref name="predicate"/> matches by <paramref name="update"/>'s result.</summary>
    public async Task<CommitResult> UpdateAsync(RowPredicate predicate, Func<object?[], object?[]> update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentNullException.ThrowIfNull(update);
        var snapshot = await CopyOnWrite.WritableSnapshotAsync(this, "UPDATE", cancellationToken).ConfigureAwait(false);
        var operation = new CopyOnWrite(this, snapshot, "UPDATE");
        await operation.RewriteAsync(predicate.Bind(snapshot), update, cancellationToken).ConfigureAwait(false);
        return await operation.CommitAsync(txn: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Replaces each row for which <paramref name="predicate"/> is true by <paramref name="update"/>'s result.</summary>
    public Task<CommitResult> UpdateAsync(Func<object?[], bool> predicate, Func<object?[], object?[]> update, CancellationToken cancellationToken = default) =>
        UpdateAsync(RowPredicate.Where(predicate), update, cancellationToken);

    /// <summary>
    /// Upserts <paramref name="source"/> by the key columns: a target row whose key matches a source row is replaced by it,
    /// source rows without a match are inserted. Source keys must be unique.
    /// </summary>
    public async Task<CommitResult> MergeAsync(IEnumerable<object?[]> source, IReadOnlyList<string> keyColumns, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(keyColumns);
        var snapshot = await CopyOnWrite.WritableSnapshotAsync(this, "MERGE", cancellationToken).ConfigureAwait(false);
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
        var operation = new CopyOnWrite(this, snapshot, "MERGE");
        await operation.RewriteAsync(
            RowPredicate.Where(row => bySource.ContainsKey(RowKey.Of(row, keys))).Bind(snapshot),
            row =>
            {
                var key = RowKey.Of(row, keys);
                matched.Add(key);
                return bySource[key];
            },
            cancellationToken).ConfigureAwait(false);
        await operation.InsertAsync([.. bySource.Where(kv => !matched.Contains(kv.Key)).Select(kv => kv.Value)], cancellationToken).ConfigureAwait(false);
        return await operation.CommitAsync(txn: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes the rows <paramref name="predicate"/> matches and adds the data files <paramref name="writeFiles"/> writes
    /// under the table, in ONE commit: a reader sees the table before or after, never without the deleted rows and
    /// without their replacements. With <paramref name="txn"/>, a replacement the table already recorded writes nothing.
    /// </summary>
    public async Task<CommitResult> ReplaceWhereAsync(
        RowPredicate predicate, Func<CancellationToken, Task<IReadOnlyList<DataFile>>> writeFiles, AppTransaction? txn = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentNullException.ThrowIfNull(writeFiles);
        var snapshot = await CopyOnWrite.WritableSnapshotAsync(this, "REPLACE WHERE", cancellationToken).ConfigureAwait(false);
        if (txn is not null && snapshot.GetTransactionVersion(txn.AppId) >= txn.Version)
        {
            return new CommitResult(snapshot.Version, true, 0, 0);
        }

        var operation = new CopyOnWrite(this, snapshot, "WRITE");
        await operation.RewriteAsync(predicate.Bind(snapshot), update: null, cancellationToken).ConfigureAwait(false);
        await operation.AddFilesAsync(await writeFiles(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        return await operation.CommitAsync(txn, cancellationToken).ConfigureAwait(false);
    }
}
