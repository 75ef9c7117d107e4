using Fhirhouse.Delta;
using Fhirhouse.Delta.Schema;
using Fhirhouse.Query.Access;

namespace Fhirhouse.Query.Tests;

/// <summary>
/// The second wall: statements under a guard run in a DuckDB database that may open exactly the data files of the
/// tables they read. SQL run there unchecked (as if it had slipped past the guard's parse) still cannot open the
/// keyring, another table's decrypted file in memory, a system file or a glob of memory files, nor unlock itself.
/// </summary>
public sealed class LockedDatabaseTests
{
    private static readonly StructType s_schema = new([new StructField("id", PrimitiveType.String), new StructField("n", PrimitiveType.Long)]);

    [Fact]
    public async Task Unchecked_sql_in_the_locked_database_reads_only_the_files_of_the_statements_tables()
    {
        using var lake = new TestLake(encrypted: true);
        var open = await DeltaTable.CreateAsync(lake.Store, "tables/open_table", s_schema);
        await open.AppendAsync([["a", 1L]]);
        var secret = await DeltaTable.CreateAsync(lake.Store, "tables/secret_table", s_schema);
        await secret.AppendAsync([["s", 2L]]);
        using var engine = new QueryEngine(lake.Store, new QueryOptions { Guard = new AllowOnly("open_table") });
        using var unguarded = new QueryEngine(lake.Store);
        await unguarded.ExecuteAsync("SELECT * FROM secret_table");

        var read = await engine.ExecuteAsync("SELECT id FROM open_table");

        Assert.Equal("a", read.Rows[0][0]);
        var allowed = Assert.Single(engine.LastLockedPaths);
        Assert.StartsWith("/proc/self/fd/", allowed, StringComparison.Ordinal);
        Assert.Equal(1, engine.RunUncheckedInLockedDatabase($"SELECT * FROM read_parquet('{allowed}')"));
        var memoryFiles = Directory.EnumerateFileSystemEntries("/proc/self/fd")
            .Where(fd => fd != allowed && new FileInfo(fd).LinkTarget is { } target && target.StartsWith("/memfd:", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(memoryFiles);
        string[] attacks =
        [
            .. memoryFiles.Select(f => $"SELECT * FROM read_parquet('{f}')"),
            $"SELECT * FROM read_text('{Path.Combine(lake.Root, "keys", "keyring.json")}')",
            $"SELECT * FROM read_blob('{Path.Combine(lake.Root, "keys", "master.key")}')",
            "SELECT * FROM read_csv('/etc/passwd')",
            "SELECT * FROM read_text('/proc/self/environ')",
            "SELECT * FROM read_parquet('/proc/self/fd/*')",
            "SELECT * FROM glob('/proc/self/fd/*')",
            $"SELECT * FROM glob('{lake.LakePath}/**')",
            $"SELECT * FROM '{lake.LakePath}/**/*.parquet'",
        ];
        foreach (var attack in attacks)
        {
            var refused = Assert.Throws<QueryException>(() => engine.RunUncheckedInLockedDatabase(attack));
            Assert.Contains("Permission Error", refused.Message, StringComparison.Ordinal);
        }

        foreach (var unlock in new[] { "SET enable_external_access = true", "SET allowed_directories = ['/']", "SET lock_configuration = false", $"SET allowed_paths = ['{memoryFiles[0]}']" })
        {
            var refused = Assert.Throws<QueryException>(() => engine.RunUncheckedInLockedDatabase(unlock));
            Assert.Contains("locked", refused.Message, StringComparison.Ordinal);
        }

        Assert.Equal(0, engine.RunUncheckedInLockedDatabase("SELECT * FROM duckdb_settings() WHERE name = 'allowed_directories' AND value <> '[]'"));
    }

    [Fact]
    public async Task A_locked_database_is_reused_while_its_files_cover_the_statement_and_a_new_one_opens_for_other_files()
    {
        using var lake = new TestLake(encrypted: true);
        var table = await DeltaTable.CreateAsync(lake.Store, "tables/open_table", s_schema);
        await table.AppendAsync([["a", 1L]]);
        using var engine = new QueryEngine(lake.Store, new QueryOptions { Guard = new AllowOnly("open_table") });

        await engine.ExecuteAsync("SELECT id FROM open_table");
        await engine.ExecuteAsync("SELECT count(*) FROM open_table WHERE n > 0");
        Assert.Equal(1, engine.LockedDatabasesOpened);

        await table.AppendAsync([["b", 2L]]);
        var after = await engine.ExecuteAsync("SELECT count(*) FROM open_table");

        Assert.Equal(2L, after.Rows[0][0]);
        Assert.Equal(2, engine.LockedDatabasesOpened);
        Assert.Equal(2, engine.LastLockedPaths.Count);
    }

    private sealed class AllowOnly(string table) : ITableAccessGuard
    {
        public ReadOnlyMemory<byte> HashKey { get; } = new byte[32];

        public ValueTask<TableAccess> AuthorizeAsync(TableAccessRequest request, CancellationToken cancellationToken) =>
            string.Equals(request.ShortName, table, StringComparison.Ordinal)
                ? ValueTask.FromResult(TableAccess.Unrestricted)
                : throw new AccessDeniedException($"'{request.Name}' is not allowed.");
    }
}
