using Fhirhouse.Query.Access;
using Fhirhouse.Query.Tables;

namespace Fhirhouse.Query;

/// <summary>How a <see cref="QueryEngine"/> reads the lake.</summary>
public sealed record QueryOptions
{
    /// <summary>Plaintext kept in memory (memfd) for decrypted data files, across queries (default 1 GiB).</summary>
    public long PlaintextCacheBytes { get; init; } = 1L << 30;

    /// <summary>
    /// The tables a query can name, by qualified name <c>zone.table</c> (the lake's catalog: its table definitions and
    /// folders). Null: the Delta tables in <see cref="TableFolders"/>, each zoned by its folder's last segment.
    /// </summary>
    public ITableCatalog? Catalog { get; init; }

    /// <summary>Without a <see cref="Catalog"/>: the folders holding Delta tables (<c>FOLDER/NAME</c> is <c>zone.NAME</c>).</summary>
    public IReadOnlyList<string> TableFolders { get; init; } = ["tables/", "tables/views/", "tables/gold/", "tables/ml/"];

    /// <summary>
    /// Table metadata kept across statements (default 128 MiB, estimated): snapshots of the latest and of older
    /// versions, the files each table's last pruning kept, the columns of each data file; least recently used out first.
    /// </summary>
    public long MetadataCacheBytes { get; init; } = 128L << 20;

    /// <summary>Parsed statements kept, so that a repeated statement is not parsed again (default 256, least recently used out first).</summary>
    public int StatementShapes { get; init; } = 256;

    /// <summary>Threads DuckDB may use (null: DuckDB's default, one per core).</summary>
    public int? Threads { get; init; }

    /// <summary>
    /// Locked databases kept for statements under a guard (default 4): each may read exactly the data files of the
    /// statement it was made for, and serves later statements whose files it covers; each holds its files in memory.
    /// </summary>
    public int LockedDatabases { get; init; } = 4;

    /// <summary>Access control: every table is read through what the guard allows (null: every table as stored).</summary>
    public ITableAccessGuard? Guard { get; init; }

    /// <summary>The audit: every statement is recorded before its rows are returned (null: nothing is recorded).</summary>
    public IQueryRecorder? Recorder { get; init; }

    /// <summary>Fails fast on settings outside their accepted ranges.</summary>
    public QueryOptions Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(PlaintextCacheBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MetadataCacheBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(StatementShapes);
        ArgumentNullException.ThrowIfNull(TableFolders);
        if (TableFolders.Count == 0)
        {
            throw new ArgumentException("TableFolders must name at least one folder.", nameof(TableFolders));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(LockedDatabases);
        if (Threads is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "Threads must be at least 1.");
        }

        return this;
    }
}
