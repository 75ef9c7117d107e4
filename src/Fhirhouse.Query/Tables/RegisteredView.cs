using Fhirhouse.Delta;
using Fhirhouse.Delta.Scan;
using Fhirhouse.Query.Access;
using Fhirhouse.Query.Pruning;

namespace Fhirhouse.Query.Tables;

/// <summary>
/// What the DuckDB view of a table name was last registered from: the snapshot (the engine's cached instance, so a
/// new commit or another version is another instance), the predicates its files were pruned by and the files kept,
/// the object key and plaintext path of each kept file (a memory file's path may be reused for another file), and the
/// mask of each column and the row filter the guard returned. The view's SQL is a function of these (a file's partition
/// values and columns follow from the snapshot and its key), so while all are the same the view stands as registered.
/// </summary>
internal sealed class RegisteredView(
    Snapshot snapshot,
    IReadOnlyList<ColumnPredicate> predicates,
    IReadOnlyList<ScanFile> kept,
    IReadOnlyList<(string Key, string Path)> files,
    IReadOnlyList<ColumnMask?> masks,
    string? rowFilter)
{
    /// <summary>The files kept by pruning the snapshot with the predicates.</summary>
    public IReadOnlyList<ScanFile> Kept => kept;

    /// <summary>The mask of each column of <paramref name="columns"/>, in order (null: as stored), under <paramref name="access"/>.</summary>
    public static ColumnMask?[] MasksOf(IReadOnlyList<QueryColumn> columns, TableAccess access)
    {
        var masks = new ColumnMask?[columns.Count];
        for (var i = 0; i < masks.Length; i++)
        {
            masks[i] = access.Masks.TryGetValue(columns[i].Name, out var mask) ? mask : null;
        }

        return masks;
    }

    /// <summary>True when pruning <paramref name="current"/> by <paramref name="by"/> keeps <see cref="Kept"/> again.</summary>
    public bool PrunedAlike(Snapshot current, IReadOnlyList<ColumnPredicate> by)
    {
        if (!ReferenceEquals(current, snapshot) || by.Count != predicates.Count)
        {
            return false;
        }

        for (var i = 0; i < by.Count; i++)
        {
            var (a, b) = (by[i], predicates[i]);
            if (!string.Equals(a.Column, b.Column, StringComparison.Ordinal) || a.Operator != b.Operator || !a.Values.SequenceEqual(b.Values))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when a view over <paramref name="current"/> reading <paramref name="opened"/> under these masks and filter is the one registered.</summary>
    public bool Shows(Snapshot current, IReadOnlyList<(string Key, string Path)> opened, IReadOnlyList<ColumnMask?> columnMasks, string? filter) =>
        ReferenceEquals(current, snapshot)
        && opened.SequenceEqual(files)
        && columnMasks.SequenceEqual(masks)
        && string.Equals(filter, rowFilter, StringComparison.Ordinal);
}
