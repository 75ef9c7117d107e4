using Fhirhouse.Query.Tables;
using Fhirhouse.Delta;
using Fhirhouse.Delta.Schema;
using Fhirhouse.Query.Access;
using Fhirhouse.Query.Sql;

namespace Fhirhouse.Query.Tests;

/// <summary>
/// What the engine keeps between statements (statement shapes, each table's pruning and view) never hides a change:
/// a commit, another version, other predicates, another access or evicted plaintext is seen by the next statement.
/// </summary>
public sealed class StatementCacheTests
{
    private const string Count = "SELECT count(*) AS n, count(name) AS named, min(name) AS first FROM people";

    private static readonly StructType People = new(
    [
        new StructField("kind", PrimitiveType.String, Nullable: false),
        new StructField("id", PrimitiveType.Long, Nullable: false),
        new StructField("name", PrimitiveType.String),
    ]);

    private static IEnumerable<object?[]> Rows(int from, int count, string kind) =>
        Enumerable.Range(from, count).Select(i => new object?[] { kind, (long)i, "p" + i.ToString("D2", System.Globalization.CultureInfo.InvariantCulture) });

    /// <summary>tables/people partitioned by kind: version 1 ids 0..9 staff, version 2 ids 10..19 patient.</summary>
    private static async Task<DeltaTable> PeopleAsync(TestLake lake)
    {
        var table = await DeltaTable.CreateAsync(lake.Store, "tables/people", People, ["kind"]);
        await table.AppendAsync(Rows(0, 10, "staff"));
        await table.AppendAsync(Rows(10, 10, "patient"));
        return table;
    }

    [Fact]
    public async Task A_repeated_statement_is_parsed_once_and_its_view_created_once()
    {
        using var lake = new TestLake(encrypted: true);
        await PeopleAsync(lake);
        using var engine = new QueryEngine(lake.Store);

        for (var i = 0; i < 3; i++)
        {
            var result = await engine.ExecuteAsync(Count);
            Assert.Equal([20L, 20L, "p00"], result.Rows.Single());
        }

        Assert.Equal(1, engine.Parses);
        Assert.Equal(1, engine.ViewsCreated);
        Assert.Equal(2, engine.Decryptions);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_commit_between_two_statements_is_seen_by_the_next(bool encrypted)
    {
        using var lake = new TestLake(encrypted);
        var table = await PeopleAsync(lake);
        using var engine = new QueryEngine(lake.Store);

        var before = await engine.ExecuteAsync(Count);
        await table.AppendAsync(Rows(20, 5, "staff"));
        var after = await engine.ExecuteAsync(Count);

        Assert.Equal([20L, 20L, "p00"], before.Rows.Single());
        Assert.Equal([25L, 25L, "p00"], after.Rows.Single());
        Assert.Equal(2, before.Tables.Single().Version);
        Assert.Equal(3, after.Tables.Single().Version);
        Assert.Equal(3, after.Tables.Single().FilesRead);
        Assert.Equal(2, engine.ViewsCreated);

        var staff = "SELECT count(*) FROM people WHERE kind = 'staff'";
        Assert.Equal(15L, (await engine.ExecuteAsync(staff)).Rows[0][0]);
        await table.AppendAsync(Rows(25, 1, "staff"));
        var pruned = await engine.ExecuteAsync(staff);
        Assert.Equal(16L, pruned.Rows[0][0]);
        Assert.Equal(3, pruned.Tables.Single().FilesRead);
    }

    [Fact]
    public async Task A_changed_mask_or_row_filter_between_two_statements_is_applied()
    {
        using var lake = new TestLake(encrypted: true);
        await PeopleAsync(lake);
        var guard = new SettableGuard();
        using var engine = new QueryEngine(lake.Store, new QueryOptions { Guard = guard });

        var open = await engine.ExecuteAsync(Count);
        guard.Access = new TableAccess(new Dictionary<string, ColumnMask>(StringComparer.Ordinal) { ["name"] = ColumnMask.Redact }, null);
        var redacted = await engine.ExecuteAsync(Count);
        guard.Access = new TableAccess(new Dictionary<string, ColumnMask>(StringComparer.Ordinal) { ["name"] = ColumnMask.Truncate(1) }, null);
        var truncated = await engine.ExecuteAsync(Count);
        guard.Access = new TableAccess(new Dictionary<string, ColumnMask>(StringComparer.Ordinal), "kind = 'patient'");
        var filtered = await engine.ExecuteAsync(Count);
        guard.Access = new TableAccess(new Dictionary<string, ColumnMask>(StringComparer.Ordinal), "kind = 'staff'");
        var otherFilter = await engine.ExecuteAsync(Count);
        guard.Access = TableAccess.Unrestricted;
        var openAgain = await engine.ExecuteAsync(Count);

        Assert.Equal([20L, 20L, "p00"], open.Rows.Single());
        Assert.Equal([20L, 0L, null], redacted.Rows.Single());
        Assert.Equal([20L, 20L, "p"], truncated.Rows.Single());
        Assert.Equal([10L, 10L, "p10"], filtered.Rows.Single());
        Assert.Equal([10L, 10L, "p00"], otherFilter.Rows.Single());
        Assert.Equal([20L, 20L, "p00"], openAgain.Rows.Single());
        Assert.Equal(6, guard.Requests);
        Assert.Equal(6, engine.ViewsCreated);
    }

    [Fact]
    public async Task A_masked_column_prunes_no_files_after_the_same_statement_pruned_them_unmasked()
    {
        using var lake = new TestLake(encrypted: false);
        await PeopleAsync(lake);
        var guard = new SettableGuard();
        using var engine = new QueryEngine(lake.Store, new QueryOptions { Guard = guard });
        const string Sql = "SELECT count(*) FROM people WHERE name = 'p03'";

        var unmasked = await engine.ExecuteAsync(Sql);
        guard.Access = new TableAccess(new Dictionary<string, ColumnMask>(StringComparer.Ordinal) { ["name"] = ColumnMask.Truncate(1) }, null);
        var masked = await engine.ExecuteAsync(Sql);

        Assert.Equal(1L, unmasked.Rows[0][0]);
        Assert.Equal(1, unmasked.Tables.Single().FilesRead);
        Assert.Equal(0L, masked.Rows[0][0]);
        Assert.Equal(2, masked.Tables.Single().FilesRead);
    }

    [Fact]
    public async Task Time_travel_between_latest_reads_gives_each_statement_its_version()
    {
        using var lake = new TestLake(encrypted: true);
        var table = await PeopleAsync(lake);
        using var engine = new QueryEngine(lake.Store);
        const string Travel = "SELECT count(*) FROM people AT (VERSION => 1)";

        Assert.Equal(20L, (await engine.ExecuteAsync("SELECT count(*) FROM people")).Rows[0][0]);
        Assert.Equal(10L, (await engine.ExecuteAsync("SELECT count(*) FROM people", AsOf.AtVersion(1))).Rows[0][0]);
        Assert.Equal(20L, (await engine.ExecuteAsync("SELECT count(*) FROM people")).Rows[0][0]);
        Assert.Equal(10L, (await engine.ExecuteAsync(Travel)).Rows[0][0]);
        await table.AppendAsync(Rows(20, 5, "staff"));
        Assert.Equal(25L, (await engine.ExecuteAsync("SELECT count(*) FROM people")).Rows[0][0]);
        Assert.Equal(10L, (await engine.ExecuteAsync(Travel)).Rows[0][0]);
        Assert.Equal(20L, (await engine.ExecuteAsync("SELECT count(*) FROM people", AsOf.AtVersion(2))).Rows[0][0]);
        var history = await table.GetHistoryAsync();
        var first = history.Single(h => h.Version == 1).Timestamp;
        Assert.Equal(25L, (await engine.ExecuteAsync("SELECT count(*) FROM people", AsOf.AtTimestamp(first.AddYears(1)))).Rows[0][0]);
        Assert.Equal(25L, (await engine.ExecuteAsync("SELECT count(*) FROM people")).Rows[0][0]);
    }

    [Fact]
    public async Task Evicted_plaintext_between_statements_reads_the_right_files_where_a_memory_file_path_is_reused()
    {
        using var lake = new TestLake(encrypted: true);
        await PeopleAsync(lake);
        var other = await DeltaTable.CreateAsync(lake.Store, "tables/others", People);
        await other.AppendAsync(Rows(100, 3, "other"));
        using var engine = new QueryEngine(lake.Store, new QueryOptions { PlaintextCacheBytes = 1 });

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal([20L, 1000L], (await engine.ExecuteAsync("SELECT count(*), min(id) + 1000 FROM people")).Rows.Single());
            Assert.Equal([3L, 1100L], (await engine.ExecuteAsync("SELECT count(*), min(id) + 1000 FROM others")).Rows.Single());
        }

        Assert.Equal(9, engine.Decryptions);

        // One file per statement, each evicted after it: the second file's memory file may reuse the first's path.
        for (var i = 0; i < 3; i++)
        {
            var staff = await engine.ExecuteAsync("SELECT count(*), min(kind) FROM people WHERE kind = 'staff'");
            var patients = await engine.ExecuteAsync("SELECT count(*), min(kind) FROM people WHERE kind = 'patient'");
            Assert.Equal([10L, "staff"], staff.Rows.Single());
            Assert.Equal([10L, "patient"], patients.Rows.Single());
            Assert.Equal(1, patients.Tables.Single().FilesRead);
        }
    }

    [Fact]
    public void The_engine_caches_keep_the_most_recently_used_entries_within_their_entries_and_bytes()
    {
        var cache = new LruCache<string, string>(capacityBytes: 100, capacityEntries: 2, static (_, v) => v.Length, StringComparer.Ordinal);
        cache.Set("a", new string('a', 10));
        cache.Set("b", new string('b', 10));
        Assert.True(cache.TryGet("a", out var hit));
        cache.Set("c", new string('c', 10));

        Assert.Equal(new string('a', 10), hit);
        Assert.Equal(2, cache.Count);
        Assert.False(cache.TryGet("b", out _));
        Assert.True(cache.TryGet("a", out _));
        Assert.True(cache.TryGet("c", out _));

        // By bytes: 60 more bytes push the total over 100, so the least recently used entries go.
        cache.Set("d", new string('d', 60));
        Assert.Equal(70, cache.Bytes);
        Assert.False(cache.TryGet("a", out _));
        Assert.True(cache.TryGet("c", out _));

        // An entry larger than the whole budget is not kept, and replacing an entry counts its new size only.
        cache.Set("huge", new string('h', 1000));
        Assert.Equal(0, cache.Count);
        cache.Set("e", new string('e', 30));
        cache.Set("e", new string('e', 40));
        Assert.Equal((1, 40L), (cache.Count, cache.Bytes));
    }

    [Fact]
    public async Task Time_travel_to_many_versions_keeps_the_engine_within_its_metadata_budget()
    {
        using var lake = new TestLake(encrypted: false);
        var table = await Delta.DeltaTable.CreateAsync(lake.Store, "tables/counts", new Delta.Schema.StructType([new Delta.Schema.StructField("n", Delta.Schema.PrimitiveType.Long, Nullable: false)]), []);
        for (var i = 0; i < 12; i++)
        {
            await table.AppendAsync([[(long)i]]);
        }

        using var engine = new QueryEngine(lake.Store, new QueryOptions { MetadataCacheBytes = 4 * 40_000 });
        for (var version = 1; version <= 12; version++)
        {
            var result = await engine.ExecuteAsync($"SELECT count(*) FROM counts AT (VERSION => {version})");
            Assert.Equal((long)version, Convert.ToInt64(result.Rows[0][0], System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.InRange(engine.CachedSnapshots, 1, 2);
    }

    /// <summary>A guard whose answer the test sets between statements, counting the requests it answered.</summary>
    private sealed class SettableGuard : ITableAccessGuard
    {
        public TableAccess Access { get; set; } = TableAccess.Unrestricted;

        public int Requests { get; private set; }

        public ReadOnlyMemory<byte> HashKey { get; } = new byte[32];

        public ValueTask<TableAccess> AuthorizeAsync(TableAccessRequest request, CancellationToken cancellationToken)
        {
            Requests++;
            return ValueTask.FromResult(Access);
        }
    }
}
