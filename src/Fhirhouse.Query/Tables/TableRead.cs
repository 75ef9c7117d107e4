using Fhirhouse.Delta;
using Fhirhouse.Delta.Scan;
using Fhirhouse.Query.Access;
using Fhirhouse.Query.Pruning;

namespace Fhirhouse.Query.Tables;

/// <summary>
/// A lake table as one statement reads it: the name it has in the SQL, the snapshot, the predicates its files were
/// pruned by and the files kept, the object key and plaintext path of each kept file, its columns and its access.
/// </summary>
internal sealed record TableRead(
    string Name,
    Snapshot Snapshot,
    IReadOnlyList<ColumnPredicate> Predicates,
    IReadOnlyList<ScanFile> Kept,
    IReadOnlyList<(string Key, string Path)> Opened,
    IReadOnlyList<QueryColumn> Columns,
    TableAccess Access,
    bool Qualified = false);
