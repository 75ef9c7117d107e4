using Fhirhouse.Delta.Transactions;

namespace Fhirhouse.Delta.Operations;

/// <summary>DELETE, UPDATE, MERGE and replace-where, each one commit by copy-on-write (<see cref="CopyOnWrite"/>).</summary>
internal static class RowRewrites
{
    private static readonly Func<object?[], object?[]?> s_drop = static _ => null;

    public static async Task<CommitResult> DeleteAsync(DeltaTable table, RowPredicate predicate, CancellationToken cancellationToken)
    {
        var snapshot = await CopyOnWrite.WritableSnapshotAsync(table, "DELETE", cancellationToken).ConfigureAwait(false);
        var operation = new CopyOnWrite(table, snapshot, "DELETE");
        await operation.RewriteAsync(predicate.Bind(snapshot), s_drop, cancellationToken).ConfigureAwait(false);
        return await operation.CommitAsync(txn: null, cancellationToken).ConfigureAwait(false);
    }

    public static Task<CommitResult> UpdateAsync(DeltaTable table, RowPredicate predicate, Func<object?[], object?[]> update, CancellationToken cancellationToken) =>
        RewriteAsync(table, "UPDATE", predicate, row => update(row) ?? throw new InvalidOperationException("An update returned no row."), cancellationToken);

    /// <summary>The matching rows replaced or, where the rewrite returns null, deleted: UPDATE and DELETE in one commit.</summary>
    public static async Task<CommitResult> RewriteAsync(DeltaTable table, string operationName, RowPredicate predicate, Func<object?[], object?[]?> rewrite, CancellationToken cancellationToken)
    {
        var snapshot = await CopyOnWrite.WritableSnapshotAsync(table, operationName, cancellationToken).ConfigureAwait(false);
        var operation = new CopyOnWrite(table, snapshot, operationName);
        await operation.RewriteAsync(predicate.Bind(snapshot), rewrite, cancellationToken).ConfigureAwait(false);
        return await operation.CommitAsync(txn: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An upsert by key columns: matched target rows replaced by their source row, the other source rows inserted.</summary>
    public static async Task<CommitResult> MergeAsync(DeltaTable table, IEnumerable<object?[]> source, IReadOnlyList<string> keyColumns, CancellationToken cancellationToken)
    {
        var snapshot = await CopyOnWrite.WritableSnapshotAsync(table, "MERGE", cancellationToken).ConfigureAwait(false);
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
        var operation = new CopyOnWrite(table, snapshot, "MERGE");
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

    /// <summary>The matching rows deleted and the caller's files added in one commit (nothing written when the txn is recorded).</summary>
    public static async Task<CommitResult> ReplaceWhereAsync(
        DeltaTable table, RowPredicate predicate, Func<CancellationToken, Task<IReadOnlyList<DataFile>>> writeFiles, AppTransaction? txn, CancellationToken cancellationToken)
    {
        var snapshot = await CopyOnWrite.WritableSnapshotAsync(table, "REPLACE WHERE", cancellationToken).ConfigureAwait(false);
        if (txn is not null && snapshot.GetTransactionVersion(txn.AppId) >= txn.Version)
        {
            return new CommitResult(snapshot.Version, true, 0, 0);
        }

        var operation = new CopyOnWrite(table, snapshot, "WRITE");
        await operation.RewriteAsync(predicate.Bind(snapshot), s_drop, cancellationToken).ConfigureAwait(false);
        await operation.AddFilesAsync(await writeFiles(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        return await operation.CommitAsync(txn, cancellationToken).ConfigureAwait(false);
    }
}
