using Fhirhouse.Delta.Operations;
using Fhirhouse.Delta.Schema;
using Fhirhouse.Storage;
using Fhirhouse.Storage.Local;
using Fhirhouse.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Fhirhouse.Delta.Tests.Operations;

public sealed class OperationTests
{
    private static readonly StructType s_schema = new(
        new StructField("id", PrimitiveType.Long, Nullable: false),
        new StructField("value", PrimitiveType.String),
        new StructField("part", PrimitiveType.Integer));

    private static object?[] Row(long id, string value) => [id, value, (int)(id % 3)];

    private static async Task<DeltaTable> NewTableAsync(TempFolder temp, TimeProvider clock, bool cdf = false)
    {
        var store = new LocalObjectStore(temp.Path);
        var config = cdf ? new Dictionary<string, string> { ["delta.enableChangeDataFeed"] = "true" } : null;
        var table = await DeltaTable.CreateAsync(store, "t", s_schema, ["part"], config, new DeltaTableOptions { TimeProvider = clock });
        await table.AppendAsync(Enumerable.Range(1, 30).Select(i => Row(i, "v" + i)));
        return table;
    }

    private static async Task<SortedDictionary<long, string>> ContentAsync(DeltaTable table, long? version = null)
    {
        var result = new SortedDictionary<long, string>();
        foreach (var row in await TestTables.ReadAllAsync(table, version))
        {
            result.Add((long)row[0]!, (string)row[1]!);
        }

        return result;
    }

    [Fact]
    public async Task Delete_removes_matching_rows_and_rewrites_only_touched_files()
    {
        using var temp = new TempFolder();
        var table = await NewTableAsync(temp, TestTables.Clock());
        var result = await table.DeleteAsync(r => (long)r[0]! % 3 == 0 && (long)r[0]! <= 15);

        Assert.Equal(1, result.FilesRemoved);
        var content = await ContentAsync(table);
        Assert.Equal(25, content.Count);
        Assert.DoesNotContain(9L, content.Keys);
        Assert.Contains(18L, content.Keys);
        Assert.Equal(30, (await ContentAsync(table, 1)).Count);
    }

    [Fact]
    public async Task Delete_with_an_IN_predicate_reads_only_the_files_whose_statistics_or_partition_may_hold_the_values()
    {
        using var temp = new TempFolder();
        var store = new RecordingStore(new LocalObjectStore(temp.Path));
        var table = await DeltaTable.CreateAsync(store, "t", s_schema, ["part"], null, new DeltaTableOptions { TimeProvider = TestTables.Clock() });
        for (var batch = 0; batch < 4; batch++)
        {
            await table.AppendAsync(Enumerable.Range((batch * 10) + 1, 10).Select(i => Row(i, "v" + i)));
        }

        Assert.Equal(12, (await table.GetSnapshotAsync()).Files.Count);
        store.ReadKeys.Clear();
        var byId = await table.DeleteAsync(RowPredicate.In("id", [5L, 27L]));

        Assert.Equal(2, byId.FilesRemoved);
        Assert.Equal(6, store.ReadKeys.Count(k => k.EndsWith(".parquet", StringComparison.Ordinal) && !k.Contains("_delta_log", StringComparison.Ordinal)));
        Assert.Equal(38, (await ContentAsync(table)).Count);

        store.ReadKeys.Clear();
        var byPartition = await table.DeleteAsync(RowPredicate.Equal("part", 0));
        Assert.Equal(4, byPartition.FilesRemoved);
        Assert.Equal(4, store.ReadKeys.Count(k => k.EndsWith(".parquet", StringComparison.Ordinal) && !k.Contains("_delta_log", StringComparison.Ordinal)));
        Assert.DoesNotContain((await ContentAsync(table)).Keys, id => id % 3 == 0);

        var nothing = await table.DeleteAsync(RowPredicate.In("id", [1000L]));
        Assert.True(nothing.Skipped);
        Assert.Throws<ArgumentException>(() => RowPredicate.In("id", [null!]));
        await Assert.ThrowsAsync<ArgumentException>(() => table.DeleteAsync(RowPredicate.In("id", ["5"])));
        await Assert.ThrowsAsync<ArgumentException>(() => table.DeleteAsync(RowPredicate.In("missing", [5L])));
    }

    [Fact]
    public async Task Replace_where_deletes_and_adds_in_one_commit_with_its_change_data_and_runs_once_per_txn()
    {
        using var temp = new TempFolder();
        var table = await NewTableAsync(temp, TestTables.Clock(), cdf: true);
        var before = (await table.GetSnapshotAsync()).Version;
        var txn = new Fhirhouse.Delta.Transactions.AppTransaction("refresh", 7);

        var result = await table.ReplaceWhereAsync(
            RowPredicate.In("id", [3L, 4L]),
            token => table.WriteDataFilesAsync([Row(3, "new3"), Row(4, "new4"), Row(31, "v31")], token),
            txn);

        Assert.Equal(before + 1, result.Version);
        var content = await ContentAsync(table);
        Assert.Equal(31, content.Count);
        Assert.Equal(("new3", "new4", "v31"), (content[3], content[4], content[31]));
        Assert.Equal(30, (await ContentAsync(table, before)).Count);
        var changes = new List<(long Id, string Type)>();
        await foreach (var change in table.ReadChangesAsync(result.Version, result.Version))
        {
            changes.Add(((long)change[0]!, (string)change[s_schema.Fields.Count]!));
        }

        Assert.Equal(
            [(3, "delete"), (3, "insert"), (4, "delete"), (4, "insert"), (31, "insert")],
            changes.OrderBy(c => c.Id).ThenBy(c => c.Type, StringComparer.Ordinal).ToList());

        var written = 0;
        var again = await table.ReplaceWhereAsync(RowPredicate.In("id", [3L]), _ => { written++; return Task.FromResult<IReadOnlyList<DataFile>>([]); }, txn);
        Assert.True(again.Skipped);
        Assert.Equal(0, written);
        Assert.Equal(7, (await table.GetSnapshotAsync()).GetTransactionVersion("refresh"));
    }

    [Fact]
    public async Task Update_rewrites_matching_rows()
    {
        using var temp = new TempFolder();
        var table = await NewTableAsync(temp, TestTables.Clock());
        await table.UpdateAsync(r => (long)r[0]! < 4, r => [r[0], "changed", r[2]]);

        var content = await ContentAsync(table);
        Assert.Equal(30, content.Count);
        Assert.Equal(["changed", "changed", "changed", "v4"], content.Values.Take(4));
    }

    [Fact]
    public async Task Rewrite_deletes_and_updates_in_one_commit_with_its_change_data()
    {
        using var temp = new TempFolder();
        var table = await NewTableAsync(temp, TestTables.Clock(), cdf: true);
        var before = (await table.GetSnapshotAsync()).Version;
        var result = await table.RewriteAsync(
            RowPredicate.Where(["id"], r => (long)r[0]! is 3 or 4 or 5),
            r => (long)r[0]! == 4 ? null : [r[0], "kept-" + r[0], r[2]]);

        Assert.Equal(before + 1, result.Version);
        var content = await ContentAsync(table);
        Assert.Equal(29, content.Count);
        Assert.Equal("kept-3", content[3]);
        Assert.Equal("kept-5", content[5]);
        Assert.DoesNotContain(4L, content.Keys);
        var changes = new List<string>();
        await foreach (var change in table.ReadChangesAsync(result.Version))
        {
            changes.Add($"{change[3]}:{change[0]}:{change[1]}");
        }

        Assert.Equal(["delete:4:v4", "update_postimage:3:kept-3", "update_postimage:5:kept-5", "update_preimage:3:v3", "update_preimage:5:v5"], changes.Order(StringComparer.Ordinal));
        Assert.Equal("MERGE", (await table.GetHistoryAsync(1))[0].Operation);
    }

    [Fact]
    public async Task A_predicate_naming_its_columns_reads_only_those_until_a_file_holds_a_match()
    {
        using var temp = new TempFolder();
        var table = await NewTableAsync(temp, TestTables.Clock());
        var seen = new List<object?[]>();
        var result = await table.DeleteAsync(RowPredicate.Where(["id"], r =>
        {
            seen.Add(r);
            return (long)r[0]! == 7;
        }));

        Assert.Equal(1, result.FilesRemoved);
        Assert.Equal(29, (await ContentAsync(table)).Count);

        // Every row was first judged from its id alone; only the file holding row 7 (partition 1) was then read whole.
        Assert.All(seen, r => Assert.NotNull(r[0]));
        var whole = seen.Where(r => r[1] is not null).ToList();
        Assert.Equal(10, whole.Count);
        Assert.All(whole, r => Assert.Equal(1, r[2]));
        var projected = seen.Where(r => r[1] is null).Select(r => (long)r[0]!).ToHashSet();
        Assert.Superset(Enumerable.Range(1, 30).Where(i => i % 3 != 1).Select(i => (long)i).ToHashSet(), projected);
        await Assert.ThrowsAsync<ArgumentException>(() => table.DeleteAsync(RowPredicate.Where(["no_such_column"], _ => true)));
    }

    [Fact]
    public async Task A_projected_scan_reads_the_named_columns_and_keeps_the_schema_width()
    {
        using var temp = new TempFolder();
        var table = await NewTableAsync(temp, TestTables.Clock());
        var snapshot = await table.GetSnapshotAsync();
        var rows = new List<object?[]>();
        await foreach (var row in snapshot.ReadRowsAsync(["id"]))
        {
            rows.Add(row);
        }

        Assert.Equal(30, rows.Count);
        Assert.All(rows, r => Assert.Equal(3, r.Length));
        Assert.All(rows, r => Assert.Null(r[1]));
        Assert.All(rows, r => Assert.Equal((int)((long)r[0]! % 3), r[2]));
        Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), rows.Select(r => (long)r[0]!).Order());
        await Assert.ThrowsAsync<ArgumentException>(async () =>
        {
            await foreach (var _ in snapshot.ReadRowsAsync(["nope"]))
            {
            }
        });
    }

    [Fact]
    public async Task Nested_tables_are_listed_at_any_depth_only_when_asked()
    {
        using var temp = new TempFolder();
        var store = new LocalObjectStore(temp.Path);
        foreach (var path in new[] { "tables/a", "tables/views/b", "tables/views/deep/c" })
        {
            await DeltaTable.CreateAsync(store, path, s_schema, [], null, new DeltaTableOptions { TimeProvider = TestTables.Clock() });
        }

        await store.PutAsync("tables/views/not-a-table/data.parquet", new MemoryStream([1]));
        Assert.Equal(["tables/a"], await ListAsync(DeltaTable.ListTablesAsync(store, "tables/")));
        Assert.Equal(["tables/a", "tables/views/b", "tables/views/deep/c"], await ListAsync(DeltaTable.ListTablesAsync(store, "tables/", nested: true)));
    }

    private static async Task<List<string>> ListAsync(IAsyncEnumerable<string> paths)
    {
        var list = new List<string>();
        await foreach (var path in paths)
        {
            list.Add(path);
        }

        return list;
    }

    [Fact]
    public async Task Merge_updates_matches_and_inserts_the_rest()
    {
        using var temp = new TempFolder();
        var table = await NewTableAsync(temp, TestTables.Clock());
        await table.MergeAsync([Row(2, "new2"), Row(31, "new31"), Row(32, "new32")], ["id"]);

        var content = await ContentAsync(table);
        Assert.Equal(32, content.Count);
        Assert.Equal("new2", content[2]);
        Assert.Equal("new31", content[31]);
        Assert.Equal("v3", content[3]);
        await Assert.ThrowsAsync<ArgumentException>(() => table.MergeAsync([Row(1, "a"), Row(1, "b")], ["id"]));
    }

    [Fact]
    public async Task Change_data_feed_reports_inserts_deletes_and_update_images()
    {
        using var temp = new TempFolder();
        var table = await NewTableAsync(temp, TestTables.Clock(), cdf: true);
        Assert.Equal(4, (await table.GetSnapshotAsync()).Protocol.MinWriterVersion);
        await table.DeleteAsync(r => (long)r[0]! == 5);
        await table.UpdateAsync(r => (long)r[0]! == 6, r => [r[0], "six", r[2]]);
        await table.MergeAsync([Row(7, "seven"), Row(40, "forty")], ["id"]);

        var changes = new List<object?[]>();
        await foreach (var change in table.ReadChangesAsync(2))
        {
            changes.Add(change);
        }

        var summary = changes.Select(c => $"{c[4]}:{c[3]}:{c[0]}:{c[1]}").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
            [
                "2:delete:5:v5",
                "3:update_postimage:6:six", "3:update_preimage:6:v6",
                "4:insert:40:forty", "4:update_postimage:7:seven", "4:update_preimage:7:v7",
            ],
            summary);
        var inserts = 0;
        await foreach (var change in table.ReadChangesAsync(1, 1))
        {
            Assert.Equal("insert", change[3]);
            inserts++;
        }

        Assert.Equal(30, inserts);
    }

    [Fact]
    public async Task Vacuum_deletes_only_files_removed_before_the_retention_and_refuses_short_retention()
    {
        using var temp = new TempFolder();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var table = await NewTableAsync(temp, clock);
        await table.DeleteAsync(r => (long)r[0]! == 1);
        var live = (await table.GetSnapshotAsync()).Files.Count;

        Assert.Empty((await table.VacuumAsync()).DeletedKeys);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => table.VacuumAsync(TimeSpan.FromHours(1)));

        clock.Advance(TimeSpan.FromDays(8));
        var dry = await table.VacuumAsync(dryRun: true);
        Assert.Single(dry.DeletedKeys);
        var result = await table.VacuumAsync();
        Assert.Equal(dry.DeletedKeys, result.DeletedKeys);
        Assert.False(File.Exists(Path.Combine(temp.Path, result.DeletedKeys[0])));
        Assert.Equal(live, (await table.GetSnapshotAsync()).Files.Count);
        Assert.Equal(29, (await ContentAsync(table)).Count);
    }

    [Fact]
    public async Task Vacuum_with_force_accepts_a_short_retention()
    {
        using var temp = new TempFolder();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var table = await NewTableAsync(temp, clock);
        await table.OverwriteAsync([Row(100, "x")]);
        clock.Advance(TimeSpan.FromHours(2));

        var result = await table.VacuumAsync(TimeSpan.FromHours(1), force: true);
        Assert.Equal(3, result.DeletedKeys.Count);
        Assert.Single(await ContentAsync(table));
    }

    [Fact]
    public async Task Vacuum_with_an_uncommitted_grace_keeps_young_files_no_commit_names_change_data_included()
    {
        using var temp = new TempFolder();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var table = await NewTableAsync(temp, clock, cdf: true);
        var delete = await table.DeleteAsync(r => (long)r[0]! == 5);
        var committedChanges = (await table.Log.ReadCommitAsync(delete.Version, CancellationToken.None)).OfType<Fhirhouse.Delta.Actions.AddCdcFile>()
            .Select(c => Fhirhouse.Delta.Log.DeltaPath.KeyOf(table.Path, c.Path)).ToList();
        Assert.NotEmpty(committedChanges);

        // Another writer has written a data file and its change data, and not committed yet.
        await table.Store.PutAsync("t/part=1/part-00000-in-flight.snappy.parquet", new MemoryStream([1, 2, 3]));
        await table.Store.PutAsync("t/_change_data/part=1/cdc-00000-in-flight.snappy.parquet", new MemoryStream([1, 2, 3]));

        var result = await table.VacuumAsync(TimeSpan.FromDays(-1), force: true, uncommittedGrace: TimeSpan.FromHours(1));

        Assert.Contains("t/part=1/part-00000-in-flight.snappy.parquet", result.KeptUncommitted!);
        Assert.Contains("t/_change_data/part=1/cdc-00000-in-flight.snappy.parquet", result.KeptUncommitted!);
        Assert.Superset(committedChanges.ToHashSet(), result.DeletedKeys.ToHashSet());
        Assert.True(await table.Store.ExistsAsync("t/_change_data/part=1/cdc-00000-in-flight.snappy.parquet"));
        Assert.Equal(29, (await ContentAsync(table)).Count);
    }

    [Fact]
    public async Task History_lists_commits_newest_first_with_operations()
    {
        using var temp = new TempFolder();
        var table = await NewTableAsync(temp, TestTables.Clock());
        await table.DeleteAsync(r => (long)r[0]! == 1);

        var history = await table.GetHistoryAsync();
        Assert.Equal([2L, 1L, 0L], history.Select(h => h.Version));
        Assert.Equal(["DELETE", "WRITE", "CREATE TABLE"], history.Select(h => h.Operation));
        Assert.Equal("1", history[0].CommitInfo!.OperationParameters!["numDeletedRows"]);
        Assert.Equal([2L], (await table.GetHistoryAsync(limit: 1)).Select(h => h.Version));
    }

    [Fact]
    public async Task Log_cleanup_drops_commits_before_an_old_checkpoint_and_the_table_still_opens()
    {
        using var temp = new TempFolder();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var table = await NewTableAsync(temp, clock);
        for (var i = 0; i < 12; i++)
        {
            await table.AppendAsync([Row(100 + i, "x")]);
        }

        Assert.Empty(await table.CleanUpLogAsync());
        clock.Advance(TimeSpan.FromDays(31));
        var deleted = await table.CleanUpLogAsync();

        Assert.Equal(10, deleted.Count(k => k.EndsWith(".json", StringComparison.Ordinal)));
        Assert.Equal(13, (await table.GetSnapshotAsync()).Version);
        Assert.Equal(42, (await ContentAsync(table)).Count);
        Assert.Equal(10, (await table.GetSnapshotAsync(10)).CheckpointVersion);
        await Assert.ThrowsAsync<DeltaProtocolException>(() => table.GetSnapshotAsync(5));

        // Version 0 is gone, yet the table exists (a creator must not write a new version 0 over it).
        Assert.False(await Fhirhouse.Storage.ObjectStoreExtensions.ExistsAsync(table.Store, table.Path + "/_delta_log/00000000000000000000.json"));
        Assert.True(await DeltaTable.ExistsAsync(table.Store, table.Path));
        Assert.False(await DeltaTable.ExistsAsync(table.Store, table.Path + "-elsewhere"));
    }
}
