using System.Data.Common;
using DuckDB.NET.Data;
using Fhirhouse.Query.Access;
using Fhirhouse.Query.Sql;

namespace Fhirhouse.Query.Tables;

/// <summary>
/// A DuckDB database statements run in, with the views of lake tables registered in it. An open one reads what its
/// statements name (the engine's own, for statements without a guard). A locked one (for statements under a guard) has
/// external access off, no folder allowed, exactly the data files it was made for as its allowed paths, and its
/// configuration locked, so that not even a statement that slipped past the guard's parse could open another file; it
/// holds a lease on each of those files for as long as it lives, so each allowed path stays the file it was made for.
/// </summary>
internal sealed class EngineDatabase : IDisposable
{
    private readonly Dictionary<string, string>? _allowed;
    private readonly IReadOnlyList<IDisposable> _leases;

    private EngineDatabase(DuckDBConnection connection, Dictionary<string, string>? allowed, IReadOnlyList<IDisposable> leases)
    {
        Connection = connection;
        _allowed = allowed;
        _leases = leases;
    }

    public DuckDBConnection Connection { get; }

    /// <summary>The view each table name was last registered as in this database.</summary>
    public Dictionary<string, RegisteredView> Registered { get; } = new(AsciiIgnoreCase.Comparer);

    /// <summary>True for a database with external access locked.</summary>
    public bool IsLocked => _allowed is not null;

    /// <summary>An open database (external access as DuckDB's default).</summary>
    public static EngineDatabase Open(int? threads)
    {
        var connection = Connect(threads);
        return new EngineDatabase(connection, null, []);
    }

    /// <summary>
    /// A locked database that may read exactly <paramref name="files"/> (object key and path of each), whose leases it
    /// takes over, with the guard's functions (<paramref name="guard"/>'s key for the hash mask, and its own).
    /// </summary>
    public static EngineDatabase OpenLocked(IReadOnlyList<(string Key, string Path)> files, IReadOnlyList<IDisposable> leases, int? threads, ITableAccessGuard guard)
    {
        var connection = Connect(threads);
        try
        {
            GuardFunctions.Register(connection, guard.HashKey);
            foreach (var function in guard.Functions)
            {
                GuardFunctions.Register(connection, function);
            }

            var allowed = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, path) in files)
            {
                allowed[path] = key;
            }

            Execute(connection, "SET allowed_directories = []");
            Execute(connection, "SET allowed_paths = [" + string.Join(", ", allowed.Keys.Select(DuckDbTypes.Literal)) + "]");
            Execute(connection, "SET enable_external_access = false");
            Execute(connection, "SET lock_configuration = true");
            return new EngineDatabase(connection, allowed, leases);
        }
        catch
        {
            connection.Dispose();
            foreach (var lease in leases)
            {
                lease.Dispose();
            }

            throw;
        }
    }

    /// <summary>True when this database may read every one of <paramref name="files"/> (an open one may read anything).</summary>
    public bool Allows(IEnumerable<(string Key, string Path)> files)
    {
        if (_allowed is null)
        {
            return true;
        }

        foreach (var (key, path) in files)
        {
            if (!_allowed.TryGetValue(path, out var allowedKey) || !string.Equals(allowedKey, key, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public void Execute(string sql) => Execute(Connection, sql);

    public void Dispose()
    {
        Connection.Dispose();
        foreach (var lease in _leases)
        {
            lease.Dispose();
        }
    }

    private static DuckDBConnection Connect(int? threads)
    {
        var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        try
        {
            Execute(connection, "SET TimeZone = 'UTC'");
            Execute(connection, "SET autoinstall_known_extensions = false");
            Execute(connection, "SET autoload_known_extensions = false");
            // Never spill intermediate results to disk: they may hold plaintext of an encrypted lake.
            Execute(connection, "SET temp_directory = ''");
            if (threads is { } count)
            {
                Execute(connection, $"SET threads = {count}");
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static void Execute(DuckDBConnection connection, string sql)
    {
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
        catch (DbException e)
        {
            throw new QueryException(e.Message, e);
        }
    }
}
