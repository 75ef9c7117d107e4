using System.Data.Common;
using DuckDB.NET.Data;
using Fhirhouse.Delta;
using Fhirhouse.Delta.Scan;
using Fhirhouse.Query.Access;
using Fhirhouse.Query.Pruning;
using Fhirhouse.Query.Sql;
using Fhirhouse.Query.Tables;
using Fhirhouse.Storage;

namespace Fhirhouse.Query;

/// <summary>
/// Read-only SQL over the lake's Delta tables with embedded DuckDB. Each table a query names (<c>fhir_resources</c>,
/// a view such as <c>patient</c>, a gold table) is registered for that query as a DuckDB view over the Parquet files
/// that our Delta snapshot resolves, after dropping the files the log proves irrelevant (partition values, statistics);
/// data files of an encrypted lake are decrypted into memory only. Time travel: <c>patient AT (VERSION =&gt; 3)</c>,
/// <c>patient AT (TIMESTAMP =&gt; '2026-11-28T10:00:00Z')</c>, or an <see cref="AsOf"/> for every table of a query.
/// With an <see cref="ITableAccessGuard"/> every table is read through the masks and row filter the guard returns, and
/// SQL that could reach data around it (table functions, file paths, catalogs) is refused; with an
/// <see cref="IQueryRecorder"/> every statement is recorded before its rows are returned.
/// Not thread-safe for concurrent queries on one instance: they run one at a time.
/// </summary>
public sealed class QueryEngine : IDisposable
{
    private readonly EngineDatabase _main;
    private readonly LinkedList<EngineDatabase> _locked = new();
    private readonly int _lockedCapacity;
    private readonly int? _threads;
    private readonly PlaintextFiles _files;
    private readonly LakeTableCatalog _catalog;
    private readonly LruCache<string, HashSet<string>> _fileColumns;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly LruCache<string, RegisteredView> _pruned;
    private readonly LruCache<string, QueryShape> _shapes;
    private readonly LruCache<string, Snapshot> _latest;
    private readonly LruCache<(string Path, long Version), Snapshot> _versions;
    private readonly ITableAccessGuard? _guard;
    private readonly IQueryRecorder? _recorder;

    /// <summary>An engine over <paramref name="store"/> (the lake's <c>Objects</c> store, or any store holding Delta tables).</summary>
    public QueryEngine(IObjectStore store, QueryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        var settings = (options ?? new QueryOptions()).Validate();
        _guard = settings.Guard;
        _recorder = settings.Recorder;
        _files = new PlaintextFiles(store, settings.PlaintextCacheBytes);
        _catalog = new LakeTableCatalog(store, settings.Catalog ?? new FolderTableCatalog(store, settings.TableFolders));

        // Every cache is bounded: a quarter of the metadata budget each for the snapshots of the latest and of older
        // versions, the pruned file lists and the files' column names; statements' parse trees by count.
        var quarter = Math.Max(1, settings.MetadataCacheBytes / 4);
        _latest = new LruCache<string, Snapshot>(quarter, 4096, static (_, s) => SnapshotBytes(s), StringComparer.Ordinal);
        _versions = new LruCache<(string, long), Snapshot>(quarter, 256, static (_, s) => SnapshotBytes(s));
        _pruned = new LruCache<string, RegisteredView>(quarter, 4096, static (_, v) => 256 + (256L * v.Kept.Count), AsciiIgnoreCase.Comparer);
        _fileColumns = new LruCache<string, HashSet<string>>(quarter, 1 << 20, static (k, c) => 64 + (2L * k.Length) + c.Sum(n => 48 + (2L * n.Length)), StringComparer.Ordinal);
        _shapes = new LruCache<string, QueryShape>(quarter, settings.StatementShapes, static (sql, _) => 1024 + (4L * sql.Length), StringComparer.Ordinal);
        _threads = settings.Threads;
        _lockedCapacity = settings.LockedDatabases;
        _main = EngineDatabase.Open(settings.Threads);
        if (_guard is not null && _guard.HashKey.Length < 32)
        {
            throw new ArgumentException($"The hash mask's key must hold at least 32 bytes (got {_guard.HashKey.Length}).", nameof(options));
        }
    }

    /// <summary>Data files decrypted into memory so far (0 over a plaintext local store).</summary>
    public long Decryptions => _files.Decryptions;

    /// <summary>Snapshots of older versions held for time travel (bounded by <see cref="QueryOptions.MetadataCacheBytes"/>).</summary>
    internal int CachedSnapshots => _versions.Count;

    /// <summary>Statements DuckDB parsed so far (a repeated statement reuses its shape).</summary>
    internal long Parses { get; private set; }

    /// <summary>DuckDB views created so far (a table's view stands while what it was made from is unchanged).</summary>
    internal long ViewsCreated { get; private set; }

    /// <summary>Locked databases opened so far for statements under the guard (one stands while its files cover the statements').</summary>
    internal long LockedDatabasesOpened { get; private set; }

    /// <summary>The allowed paths of the locked database the last guarded statement ran in (empty before any).</summary>
    internal IReadOnlyList<string> LastLockedPaths { get; private set; } = [];

    /// <summary>
    /// Runs <paramref name="sql"/> as it is, unchecked, in the most recently used locked database: what a statement that
    /// slipped past the guard's parse could do there (tests of the lock only). Returns the number of rows.
    /// </summary>
    internal long RunUncheckedInLockedDatabase(string sql)
    {
        var database = _locked.First?.Value ?? throw new InvalidOperationException("No statement has run under the guard yet.");
        var result = Run(new PreparedStatement(database, sql, [], []), CancellationToken.None);
        return result.Rows.Count;
    }

    /// <summary>The lake tables a query can name, by qualified name, with their paths.</summary>
    public Task<IReadOnlyList<CatalogTable>> ListTablesAsync(CancellationToken cancellationToken = default) =>
        _catalog.ListAsync(cancellationToken);

    /// <summary>
    /// Runs one read-only statement (SELECT, WITH, FROM, VALUES, DESCRIBE, SHOW, SUMMARIZE). <paramref name="asOf"/> reads
    /// every table at that version or time, except those the SQL time-travels itself. Throws <see cref="QueryException"/>
    /// for a statement that would change something, several statements, a bad time-travel clause, or a DuckDB error, and
    /// <see cref="AccessDeniedException"/> when the guard refuses a table or the statement reads around the lake tables.
    /// </summary>
    public Task<QueryResult> ExecuteAsync(string sql, AsOf? asOf = null, CancellationToken cancellationToken = default) =>
        RunAsync(sql, asOf, statement => Run(statement, cancellationToken), result => result.Rows.Count, null, cancellationToken);

    /// <summary>
    /// Runs a read-only statement as <see cref="ExecuteAsync"/> does and writes its rows to a Parquet file at
    /// <paramref name="path"/> (plaintext: an export the caller asked for); returns the number of rows written. Under a
    /// guard the statement's database cannot write files: the rows are written from its result by our own writer.
    /// </summary>
    public Task<long> ExportParquetAsync(string sql, string path, AsOf? asOf = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        var target = Path.GetFullPath(path);
        return RunAsync(sql, asOf, statement =>
        {
            if (statement.Database.IsLocked)
            {
                var result = Run(statement, cancellationToken);
                ResultParquetWriter.Write(result, target);
                return (long)result.Rows.Count;
            }

            try
            {
                using var command = statement.Database.Connection.CreateCommand();
                command.CommandText = $"COPY ({statement.Sql}) TO {DuckDbTypes.Literal(target)} (FORMAT parquet)";
                return (long)command.ExecuteNonQuery();
            }
            catch (DbException e)
            {
                throw new QueryException(e.Message, e);
            }
        }, rows => rows, _ => File.Delete(target), cancellationToken);
    }

    private async Task<T> RunAsync<T>(string sql, AsOf? asOf, Func<PreparedStatement, T> run, Func<T, long> rowsOf, Action<T>? withdraw, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sql);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        var leases = new List<IDisposable>();
        var named = new List<string>();
        try
        {
            T result;
            try
            {
                result = await PrepareAndRunAsync(sql, asOf, run, leases, named, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (_recorder is not null && e is not OperationCanceledException)
            {
                var outcome = e is AccessDeniedException ? QueryOutcome.Denied : QueryOutcome.Error;
                try
                {
                    var reason = (e as QueryException)?.MessageWithoutValues ?? e.Message;
                    await _recorder.RecordAsync(new QueryRecord(sql, named, 0, outcome, reason), cancellationToken).ConfigureAwait(false);
                }
                catch (Exception audit) when (audit is not OperationCanceledException)
                {
                    throw new QueryException($"{e.Message} (and the audit record of this {(outcome == QueryOutcome.Denied ? "refusal" : "failure")} could not be written: {audit.Message})", audit);
                }

                throw;
            }

            if (_recorder is not null)
            {
                try
                {
                    await _recorder.RecordAsync(new QueryRecord(sql, named, rowsOf(result), QueryOutcome.Ok, null), cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    withdraw?.Invoke(result);
                    throw;
                }
            }

            return result;
        }
        finally
        {
            foreach (var lease in leases)
            {
                lease.Dispose();
            }

            _gate.Release();
        }
    }

    private async Task<T> PrepareAndRunAsync<T>(string sql, AsOf? asOf, Func<PreparedStatement, T> run, List<IDisposable> leases, List<string> named, CancellationToken cancellationToken)
    {
        var (rewritten, travels) = TimeTravelRewriter.Rewrite(sql);
        if (!_shapes.TryGet(rewritten, out var shape))
        {
            shape = QueryShape.FromParseTree(ParseTree(rewritten), sql);
            Parses++;
            _shapes.Set(rewritten, shape);
        }

        if (_guard is not null && shape.Refusals.Count > 0)
        {
            throw new AccessDeniedException(shape.Refusals[0]);
        }

        var tables = new List<TableRead>();
        foreach (var name in shape.Tables)
        {
            var travel = travels.FirstOrDefault(t => AsciiIgnoreCase.Comparer.Equals(t.SqlName, name));
            var found = await _catalog.FindAsync(travel?.Table ?? name, cancellationToken).ConfigureAwait(false);
            if (found is not { } resolved)
            {
                if (travel is not null)
                {
                    throw new QueryException($"'{travel.Table}' is not a lake table, so it has no history to travel in.");
                }

                if (_guard is not null)
                {
                    throw new AccessDeniedException($"'{name}' is not a lake table: under access control a query reads lake tables (and its own WITH names, where they are in scope) only.");
                }

                continue;
            }

            var (entry, table) = resolved;
            named.Add(travel?.Table ?? name);
            var snapshot = await SnapshotAsync(table, travel?.AsOf ?? asOf, cancellationToken).ConfigureAwait(false);
            var columns = snapshot.Schema.Fields.Select(f => new QueryColumn(f.Name, DuckDbTypes.Of(f.Type))).ToList();
            var access = _guard is null
                ? TableAccess.Unrestricted
                : await _guard.AuthorizeAsync(new TableAccessRequest(entry.Name, table.Path, columns), cancellationToken).ConfigureAwait(false);
            var read = await OpenAsync(name, snapshot, PruningPredicates(shape.PredicatesOn(name), access), columns, access, leases, cancellationToken).ConfigureAwait(false);
            tables.Add(shape.IsQualified(name) ? read with { Qualified = true } : read);
        }

        var database = _guard is null ? _main : await LockedDatabaseAsync(tables, cancellationToken).ConfigureAwait(false);
        var scans = new List<TableScan>(tables.Count);
        foreach (var read in tables)
        {
            Register(database, read);
            scans.Add(new TableScan(read.Name, read.Snapshot.TablePath, read.Snapshot.Version, read.Snapshot.Files.Count, read.Kept.Count, read.Access.IsRestricted));
        }

        return run(new PreparedStatement(database, rewritten.TrimEnd().TrimEnd(';'), scans, tables));
    }

    /// <summary>
    /// The predicates that may prune a table's files under <paramref name="access"/>: none when its rows are filtered
    /// (pruning would tell of rows the filter hides), none on a masked column (it would compare the raw values).
    /// </summary>
    private static List<ColumnPredicate> PruningPredicates(IReadOnlyList<ColumnPredicate> predicates, TableAccess access) =>
        access.RowFilter is not null ? [] : predicates.Where(p => !access.Masks.ContainsKey(p.Column)).ToList();

    /// <summary>
    /// A locked database that may read every file the statement's tables read: the most recent one whose files cover
    /// them, else a new one made for exactly these files (the least recently used of more than the configured number
    /// closes).
    /// </summary>
    private async Task<EngineDatabase> LockedDatabaseAsync(List<TableRead> tables, CancellationToken cancellationToken)
    {
        var files = tables.SelectMany(t => t.Opened).Distinct().ToList();
        for (var node = _locked.First; node is not null; node = node.Next)
        {
            if (node.Value.Allows(files))
            {
                _locked.Remove(node);
                _locked.AddFirst(node);
                return node.Value;
            }
        }

        var leases = new List<IDisposable>(files.Count);
        try
        {
            foreach (var (key, path) in files)
            {
                var (again, lease) = await _files.OpenAsync(key, cancellationToken).ConfigureAwait(false);
                if (lease is not null)
                {
                    leases.Add(lease);
                }

                if (!string.Equals(again, path, StringComparison.Ordinal))
                {
                    throw new QueryException($"The plaintext of '{key}' moved while a statement read it; run the statement again.", isTransient: true);
                }
            }
        }
        catch
        {
            foreach (var lease in leases)
            {
                lease.Dispose();
            }

            throw;
        }

        var database = EngineDatabase.OpenLocked(files, leases, _threads, _guard!);
        LockedDatabasesOpened++;
        LastLockedPaths = files.Select(f => f.Path).ToList();
        _locked.AddFirst(database);
        while (_locked.Count > _lockedCapacity)
        {
            var last = _locked.Last!.Value;
            _locked.RemoveLast();
            last.Dispose();
        }

        return database;
    }

    public void Dispose()
    {
        _main.Dispose();
        foreach (var database in _locked)
        {
            database.Dispose();
        }

        _locked.Clear();
        _files.Dispose();
        _gate.Dispose();
    }

    /// <summary>
    /// The snapshot to read. Snapshots are cached: a version never changes, and the latest one stays latest while the
    /// next commit file does not exist (commits are numbered without gaps), which one existence check tells.
    /// </summary>
    private async Task<Snapshot> SnapshotAsync(DeltaTable table, AsOf? asOf, CancellationToken cancellationToken)
    {
        try
        {
            switch (asOf)
            {
                case { Version: { } version }:
                    if (!_versions.TryGet((table.Path, version), out var exact))
                    {
                        exact = await table.GetSnapshotAsync(version, cancellationToken).ConfigureAwait(false);
                        _versions.Set((table.Path, version), exact);
                    }

                    return exact;
                case { Timestamp: { } timestamp }:
                    return await table.GetSnapshotAsOfAsync(timestamp, cancellationToken).ConfigureAwait(false);
                default:
                    if (_latest.TryGet(table.Path, out var latest)
                        && !await table.HasNewerVersionAsync(latest, cancellationToken).ConfigureAwait(false))
                    {
                        return latest;
                    }

                    latest = await table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                    _latest.Set(table.Path, latest);
                    return latest;
            }
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or DeltaProtocolException)
        {
            throw new QueryException($"Table '{table.Path}' has no version {asOf}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Prunes the snapshot's files by the predicates and opens those kept (leased for the statement). The pruning of the
    /// last statement that named the table stands when its snapshot and predicates are the same.
    /// </summary>
    private async Task<TableRead> OpenAsync(string name, Snapshot snapshot, IReadOnlyList<ColumnPredicate> predicates, IReadOnlyList<QueryColumn> columns, TableAccess access, List<IDisposable> leases, CancellationToken cancellationToken)
    {
        var previous = _pruned.TryGet(name, out var pruned) ? pruned : null;
        var kept = previous is not null && previous.PrunedAlike(snapshot, predicates) ? previous.Kept : Prune(snapshot, predicates);
        var opened = new List<(string Key, string Path)>(kept.Count);
        foreach (var file in kept)
        {
            var key = file.Key;
            var (path, lease) = await _files.OpenAsync(key, cancellationToken).ConfigureAwait(false);
            if (lease is not null)
            {
                leases.Add(lease);
            }

            opened.Add((key, path));
        }

        var read = new TableRead(name, snapshot, predicates, kept, opened, columns, access);
        if (!ReferenceEquals(kept, previous?.Kept))
        {
            _pruned.Set(name, new RegisteredView(snapshot, predicates, kept, opened, RegisteredView.MasksOf(columns, access), access.RowFilter));
        }

        return read;
    }

    /// <summary>
    /// Registers the table as a view of <paramref name="database"/> over the files read, under the table's access. The
    /// view the database last registered for that name stands when what it was made from is unchanged
    /// (<see cref="RegisteredView"/>).
    /// </summary>
    private void Register(EngineDatabase database, TableRead read)
    {
        var masks = RegisteredView.MasksOf(read.Columns, read.Access);
        var previous = database.Registered.GetValueOrDefault(read.Name);
        if (previous is not null && previous.Shows(read.Snapshot, read.Opened, masks, read.Access.RowFilter))
        {
            return;
        }

        var columns = ColumnsOf(read.Opened);
        var files = read.Kept.Select((file, i) => new TableViewSql.DataFile(read.Opened[i].Path, file.PartitionValues, columns[read.Opened[i].Key])).ToList();
        var view = GuardedViewSql.Build(read.Name, TableViewSql.Build(read.Snapshot, files), read.Columns, read.Access);
        if (read.Qualified)
        {
            // Written with its zone: a view in a schema of that name (DuckDB's temp catalog holds no other schema).
            var dot = read.Name.IndexOf('.', StringComparison.Ordinal);
            var zone = DuckDbTypes.Identifier(read.Name[..dot]);
            database.Execute($"CREATE SCHEMA IF NOT EXISTS {zone}");
            database.Execute($"CREATE OR REPLACE VIEW {zone}.{DuckDbTypes.Identifier(read.Name[(dot + 1)..])} AS\n{view}");
        }
        else
        {
            database.Execute($"CREATE OR REPLACE TEMP VIEW {DuckDbTypes.Identifier(read.Name)} AS\n{view}");
        }

        ViewsCreated++;
        database.Registered[read.Name] = new RegisteredView(read.Snapshot, read.Predicates, read.Kept, read.Opened, masks, read.Access.RowFilter);
    }

    /// <summary>A snapshot's estimated size in memory: its file list dominates (path, partition values, statistics).</summary>
    private static long SnapshotBytes(Snapshot snapshot) => 16_384 + (512L * (snapshot.Files.Count + snapshot.Tombstones.Count));

    /// <summary>The files of <paramref name="snapshot"/> that may hold rows the predicates accept.</summary>
    private static IReadOnlyList<ScanFile> Prune(Snapshot snapshot, IReadOnlyList<ColumnPredicate> predicates)
    {
        foreach (var file in snapshot.ScanFiles())
        {
            if (file.DeletionVector is not null)
            {
                throw new QueryException($"Table '{snapshot.TablePath}' version {snapshot.Version}: file {file.Key} has a deletion vector, which SQL over DuckDB does not apply yet; rewrite the table (OPTIMIZE) first.");
            }
        }

        return snapshot.ScanFiles(ScanPredicate.Of(snapshot.Schema, predicates));
    }

    /// <summary>The top-level columns of each file, by key: cached, else from its Parquet footer (files never change).</summary>
    private Dictionary<string, HashSet<string>> ColumnsOf(IReadOnlyList<(string Key, string Path)> opened)
    {
        var columns = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var missing = new List<(string Key, string Path)>();
        foreach (var file in opened)
        {
            if (_fileColumns.TryGet(file.Key, out var known))
            {
                columns[file.Key] = known;
            }
            else
            {
                missing.Add(file);
            }
        }

        ReadColumns(missing, columns);
        return columns;
    }

    private void ReadColumns(List<(string Key, string Path)> files, Dictionary<string, HashSet<string>> columns)
    {
        if (files.Count == 0)
        {
            return;
        }

        var byPath = files.ToDictionary(f => f.Path, f => f.Key, StringComparer.Ordinal);
        var rows = new Dictionary<string, List<(string Name, long Children)>>(StringComparer.Ordinal);
        using (var command = _main.Connection.CreateCommand())
        {
            command.CommandText = "SELECT file_name, name, coalesce(num_children, 0) FROM parquet_schema([" +
                string.Join(", ", files.Select(f => DuckDbTypes.Literal(f.Path))) + "])";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var file = reader.GetString(0);
                if (!rows.TryGetValue(file, out var list))
                {
                    rows[file] = list = [];
                }

                list.Add((reader.GetString(1), Convert.ToInt64(reader.GetValue(2), System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        foreach (var (path, schema) in rows)
        {
            var top = new HashSet<string>(StringComparer.Ordinal);
            var i = 1;
            for (var child = 0; child < schema[0].Children && i < schema.Count; child++)
            {
                top.Add(schema[i].Name);
                i = Skip(schema, i);
            }

            columns[byPath[path]] = top;
            _fileColumns.Set(byPath[path], top);
        }
    }

    private static int Skip(List<(string Name, long Children)> schema, int i)
    {
        var children = schema[i].Children;
        i++;
        for (var c = 0; c < children && i < schema.Count; c++)
        {
            i = Skip(schema, i);
        }

        return i;
    }

    private static QueryResult Run(PreparedStatement statement, CancellationToken cancellationToken)
    {
        try
        {
            using var command = statement.Database.Connection.CreateCommand();
            command.CommandText = statement.Sql;
            using var reader = command.ExecuteReader();
            var columns = new List<QueryColumn>(reader.FieldCount);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                columns.Add(new QueryColumn(reader.GetName(i), reader.GetDataTypeName(i).ToUpperInvariant()));
            }

            var rows = new List<object?[]>();
            while (reader.Read())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var row = new object?[columns.Count];
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                }

                rows.Add(row);
            }

            return new QueryResult(columns, rows, statement.Scans);
        }
        catch (DbException e) when (statement.Scans.Any(s => s.Restricted))
        {
            // The message may quote values of rows the filter hides or of columns before their mask.
            throw new QueryException(ErrorText.WithoutValues(e.Message, statement.Names()) + " (values in this message are hidden: the statement reads a table with masks or a row filter)");
        }
        catch (DbException e)
        {
            throw new QueryException(e.Message, e) { MessageWithoutValues = ErrorText.WithoutValues(e.Message, statement.Names()) };
        }
    }

    /// <summary>DuckDB's parse tree of <paramref name="sql"/> as JSON (an error object when it is not a SELECT or does not parse).</summary>
    private string ParseTree(string sql)
    {
        try
        {
            using var command = _main.Connection.CreateCommand();
            command.CommandText = "SELECT json_serialize_sql(" + DuckDbTypes.Literal(sql) + ")";
            return (string)command.ExecuteScalar()!;
        }
        catch (DbException e)
        {
            throw new QueryException(e.Message, e);
        }
    }
}
