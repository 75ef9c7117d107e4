using Fhirhouse.Delta;
using Fhirhouse.Delta.Operations;
using Fhirhouse.Delta.Schema;
using Fhirhouse.Lake.Bronze;
using Fhirhouse.Lake.Quarantine;
using Fhirhouse.Lake.Raw;
using Fhirhouse.Lake.Tables;
using Fhirhouse.Storage;

namespace Fhirhouse.Governance.Erasure;

/// <summary>
/// The tables step: in every table that names patients or resources, the patient's rows deleted and, in tables with a
/// <c>raw_key</c>, the rows of rewritten payloads pointed at their new objects, in one commit per table; bronze last.
/// Rows are judged from the few columns that identify them (a projected scan), so a file is read whole only when it holds
/// a row to change.
/// </summary>
internal sealed class TableRowErasure(ErasureContext context)
{
    private static readonly string[] s_patientColumns = ["patient_id", "patient", "patient_reference", "subject", "subject_id", "subject_reference"];

    public async Task RunAsync(List<string> tables, CancellationToken cancellationToken)
    {
        var order = tables.Where(p => !string.Equals(p, RawManifestTable.TablePath, StringComparison.Ordinal) && !string.Equals(p, BronzeTable.TablePath, StringComparison.Ordinal)).ToList();
        if (tables.Contains(BronzeTable.TablePath, StringComparer.Ordinal))
        {
            order.Add(BronzeTable.TablePath);
        }

        var emptied = context.Journal.Payloads.Where(p => p.NewKey is null).Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        var moved = context.Options.DryRun
            ? []
            : context.Journal.Payloads.Where(p => p.NewKey is not null).ToDictionary(p => p.Key, p => p.NewKey!, StringComparer.Ordinal);
        var lines = new HashSet<(string, long)>();
        foreach (var payload in context.Journal.Payloads)
        {
            foreach (var line in payload.EmptiedLines)
            {
                lines.Add((payload.Key, line));
                if (payload.NewKey is not null)
                {
                    lines.Add((payload.NewKey, line));
                }
            }
        }

        for (var i = 0; i < order.Count; i++)
        {
            var path = order[i];
            context.Report("tables", path, i, order.Count);
            var table = await context.OpenTableAsync(path, cancellationToken).ConfigureAwait(false);
            var snapshot = await table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            if (OwnedRows(snapshot.Schema, emptied, lines) is not { } owned)
            {
                continue;
            }

            var raw = snapshot.Schema.IndexOf("raw_key");
            bool Repointed(object?[] row) => raw >= 0 && row[raw] is string k && moved.ContainsKey(k);
            string[] columns = raw >= 0 ? [.. owned.Columns.Append("raw_key").Distinct(StringComparer.Ordinal)] : [.. owned.Columns];
            long count = 0, repoint = 0;
            await foreach (var row in snapshot.ReadRowsAsync(columns, cancellationToken).ConfigureAwait(false))
            {
                if (owned.Test(row))
                {
                    count++;
                }
                else if (Repointed(row))
                {
                    repoint++;
                }
            }

            var before = context.Journal.Table(path);
            if (count == 0 && repoint == 0)
            {
                if (before is null && await OlderVersionHoldsAsync(table, snapshot, owned, cancellationToken).ConfigureAwait(false))
                {
                    context.Journal.Record(new TableErasure(path, 0, snapshot.Version, snapshot.Version, [], 0, null));
                    await context.SaveAsync(cancellationToken).ConfigureAwait(false);
                }

                continue;
            }

            if (context.Options.DryRun)
            {
                context.Journal.Record(new TableErasure(path, count, snapshot.Version, snapshot.Version, [], 0, null));
                continue;
            }

            if (count > 0 || before is not null)
            {
                context.Journal.Record(before ?? new TableErasure(path, 0, snapshot.Version, snapshot.Version, [], 0, null));
                await context.SaveAsync(cancellationToken).ConfigureAwait(false);
            }

            long deleted = 0;
            var commit = await table.RewriteAsync(
                RowPredicate.Where(columns, row => owned.Test(row) || Repointed(row)),
                row =>
                {
                    if (owned.Test(row))
                    {
                        deleted++;
                        return null;
                    }

                    var copy = (object?[])row.Clone();
                    copy[raw] = moved[(string)row[raw]!];
                    return copy;
                },
                cancellationToken).ConfigureAwait(false);
            if (context.Journal.Table(path) is { } recorded)
            {
                context.Journal.Record(recorded with { RowsDeleted = recorded.RowsDeleted + deleted, VersionAfter = commit.Version });
                await context.SaveAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        context.Report("tables", "", order.Count, order.Count);
    }

    /// <summary>
    /// True when an older readable version of a table holds the patient although its latest does not (a gold table
    /// their rows were deleted from). Bronze and quarantine only grow between erasures and tables derived from bronze
    /// are settled with it, so only the other tables are read version by version.
    /// </summary>
    private static async Task<bool> OlderVersionHoldsAsync(DeltaTable table, Snapshot latest, OwnedRowTest owned, CancellationToken cancellationToken)
    {
        if (table.Path is BronzeTable.TablePath or QuarantineTable.TablePath || latest.GetTransactionVersion(DerivedTable.BronzeAppId) is not null)
        {
            return false;
        }

        foreach (var entry in await table.GetHistoryAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (entry.Version >= latest.Version)
            {
                continue;
            }

            try
            {
                var snapshot = await table.GetSnapshotAsync(entry.Version, cancellationToken).ConfigureAwait(false);
                await foreach (var row in snapshot.ReadRowsAsync(owned.Columns.Where(c => snapshot.Schema.IndexOf(c) >= 0), cancellationToken).ConfigureAwait(false))
                {
                    if (owned.Test(row))
                    {
                        return true;
                    }
                }
            }
            catch (ObjectNotFoundException)
            {
                // A version whose files an earlier VACUUM removed: nothing of it can be read any more.
            }
        }

        return false;
    }

    /// <summary>
    /// The rows of a table that are the patient's: by resource key (resource_type + id, or <c>_resource_key</c>), by a
    /// patient column, or by pointing at a raw line emptied or a payload deleted; null for a table with none of these
    /// columns. The test reads only the columns it names.
    /// </summary>
    private OwnedRowTest? OwnedRows(StructType schema, HashSet<string> emptied, HashSet<(string, long)> lines)
    {
        int type = schema.IndexOf("resource_type"), id = schema.IndexOf("id"), key = schema.IndexOf(DerivedTable.ResourceKeyColumn);
        int raw = schema.IndexOf("raw_key"), line = schema.IndexOf("raw_line");
        var patients = s_patientColumns.Select(schema.IndexOf).Where(i => i >= 0).ToArray();
        var byKey = type >= 0 && id >= 0;
        if (!byKey && key < 0 && patients.Length == 0 && raw < 0)
        {
            return null;
        }

        int[] used = [.. new[] { type, id, key, raw, line }.Where(i => i >= 0), .. patients];
        var matcher = context.Matcher;
        return new OwnedRowTest([.. used.Distinct().Select(i => schema.Fields[i].Name)], row =>
        {
            if (byKey && matcher.OwnsKey(row[type] as string, row[id] as string))
            {
                return true;
            }

            if (key >= 0 && matcher.Names(row[key] as string))
            {
                return true;
            }

            foreach (var column in patients)
            {
                if (matcher.Names(row[column] as string))
                {
                    return true;
                }
            }

            return raw >= 0 && row[raw] is string k && (emptied.Contains(k) || (line >= 0 && row[line] is long n && lines.Contains((k, n))));
        });
    }

    /// <summary>Whether a row is the patient's, and the columns that test reads.</summary>
    private sealed record OwnedRowTest(IReadOnlyList<string> Columns, Func<object?[], bool> Test);
}
