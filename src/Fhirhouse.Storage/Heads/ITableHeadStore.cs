namespace Fhirhouse.Storage.Heads;

/// <summary>
/// A store that keeps an authenticated head record for each Delta table it holds (the lake's encrypted store): written
/// by every commit, read by every latest-snapshot load and by <c>lake verify</c>, so that deleted newest commits, a
/// checkpoint deleted with its commits or a table's log replaced by another's are detected and named.
/// </summary>
public interface ITableHeadStore
{
    /// <summary>False when this store keeps no head records (an encrypted store outside a lake): tables are not checked.</summary>
    bool KeepsTableHeads { get; }

    /// <summary>
    /// False while the lake is being upgraded and tables may not have a head record yet; a table without one is then
    /// not a problem.
    /// </summary>
    bool HeadsComplete { get; }

    /// <summary>The newest head record of the table at <paramref name="tablePath"/>; null when it has none.</summary>
    Task<TableHead?> ReadHeadAsync(string tablePath, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records <paramref name="head"/> as its own object (put-if-absent: concurrent writers of different versions never
    /// overwrite each other), then deletes the record of the version before it.
    /// </summary>
    Task RecordHeadAsync(string tablePath, TableHead head, CancellationToken cancellationToken = default);

    /// <summary>The paths of the tables that have a head record, in key order (the tables that must exist).</summary>
    IAsyncEnumerable<string> ListTablesWithHeadsAsync(CancellationToken cancellationToken = default);
}
