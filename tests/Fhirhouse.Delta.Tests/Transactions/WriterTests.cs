using System.Text.Json;
using Fhirhouse.Delta.Schema;
using Fhirhouse.Delta.Tests.Golden;
using Fhirhouse.Delta.Transactions;
using Fhirhouse.Storage.Local;
using Fhirhouse.Testing;

namespace Fhirhouse.Delta.Tests.Transactions;

public sealed class WriterTests
{
    [Fact]
    public async Task Appended_rows_read_back_with_their_types()
    {
        using var temp = new TempFolder();
        var store = new LocalObjectStore(temp.Path);
        var table = await DeltaTable.CreateAsync(store, "people", TestTables.People, options: TestTables.Options(TestTables.Clock()));
        var rows = Enumerable.Range(1, 50).Select(i => TestTables.Person(i)).ToList();
        var result = await table.AppendAsync(rows);

        Assert.Equal(1, result.Version);
        var read = await TestTables.ReadAllAsync(table);
        Assert.Equal(rows.Select(RowCanon.Row).Order(), read.Select(RowCanon.Row).Order());
        Assert.IsType<DateOnly>(read[0][2]);
        Assert.IsType<DateTimeOffset>(read[0][3]);
    }

    [Fact]
    public async Task Data_files_written_in_pieces_replace_the_table_in_one_commit_exactly_once()
    {
        using var temp = new TempFolder();
        var store = new LocalObjectStore(temp.Path);
        var table = await DeltaTable.CreateAsync(store, "people", TestTables.People, options: TestTables.Options(TestTables.Clock()));
        await table.AppendAsync(Enumerable.Range(1, 5).Select(i => TestTables.Person(i)));

        var first = await table.WriteDataFilesAsync(Enumerable.Range(100, 20).Select(i => TestTables.Person(i)));
        var second = await table.WriteDataFilesAsync(Enumerable.Range(200, 30).Select(i => TestTables.Person(i)));
        Assert.Equal(1, (await table.GetSnapshotAsync()).Version);
        var result = await table.OverwriteFilesAsync([.. first, .. second], new AppTransaction("build", 7));

        Assert.Equal(2, result.Version);
        var expected = Enumerable.Range(100, 20).Concat(Enumerable.Range(200, 30)).Select(i => RowCanon.Row(TestTables.Person(i))).Order();
        Assert.Equal(expected, (await TestTables.ReadAllAsync(table)).Select(RowCanon.Row).Order());
        Assert.True((await table.OverwriteFilesAsync(first, new AppTransaction("build", 7))).Skipped);
        Assert.Equal(50, (await TestTables.ReadAllAsync(table)).Count);
    }

    [Fact]
    public async Task Statistics_hold_count_min_max_and_nulls_with_timestamps_in_milliseconds()
    {
        using var temp = new TempFolder();
        var store = new LocalObjectStore(temp.Path);
        var table = await DeltaTable.CreateAsync(store, "t", TestTables.People, options: TestTables.Options(TestTables.Clock()));
        await table.AppendAsync(Enumerable.Range(1, 10).Select(i => TestTables.Person(i)));

        var snapshot = await table.GetSnapshotAsync();
        using var stats = JsonDocument.Parse(Assert.Single(snapshot.Files).Stats!);
        var root = stats.RootElement;
        Assert.Equal(10, root.GetProperty("numRecords").GetInt64());
        Assert.Equal(1, root.GetProperty("minValues").GetProperty("id").GetInt64());
        Assert.Equal(10, root.GetProperty("maxValues").GetProperty("id").GetInt64());
        Assert.Equal(2, root.GetProperty("nullCount").GetProperty("name").GetInt64());
        Assert.Equal("1950-01-02", root.GetProperty("minValues").GetProperty("born").GetString());
        // id 10 adds 123,456,700 ticks = 12.34567 s: truncated to 12.345 s.
        Assert.Equal("2025-06-01T12:00:12.345Z", root.GetProperty("maxValues").GetProperty("seen").GetString());
        Assert.Equal(10, snapshot.CountFromStatistics());
    }

    [Fact]
    public async Task Partition_values_come_back_typed_from_the_log()
    {
        using var temp = new TempFolder();
        var store = new LocalObjectStore(temp.Path);
        var schema = new StructType(
            new StructField("id", PrimitiveType.Integer),
            new StructField("day", PrimitiveType.Date),
            new StructField("city", PrimitiveType.String));
        var table = await DeltaTable.CreateAsync(store, "p", schema, ["day", "city"], options: TestTables.Options(TestTables.Clock()));
        object?[][] rows =
        [
            [1, new DateOnly(2024, 2, 29), "Saint-Étienne"],
            [2, new DateOnly(2024, 2, 29), "a/b=c d%"],
            [3, null, null],
            [4, new DateOnly(2024, 3, 1), "Saint-Étienne"],
        ];
        await table.AppendAsync(rows);

        var snapshot = await table.GetSnapshotAsync();
        Assert.Equal(4, snapshot.Files.Count);
        Assert.Contains(snapshot.Files, f => f.PartitionValues["city"] == "a/b=c d%");
        Assert.Contains(snapshot.Files, f => f.Path.StartsWith("day=2024-02-29/city=a%252Fb%253Dc%20d%2525/", StringComparison.Ordinal));
        Assert.Contains(snapshot.Files, f => f.PartitionValues["day"] is null);
        var read = await TestTables.ReadAllAsync(table);
        Assert.Equal(rows.Select(RowCanon.Row).Order(), read.Select(RowCanon.Row).Order());
    }

    [Fact]
    public async Task Every_delta_type_and_nesting_round_trips()
    {
        using var temp = new TempFolder();
        var store = new LocalObjectStore(temp.Path);
        var schema = new StructType(
            new StructField("b", PrimitiveType.Byte),
            new StructField("s", PrimitiveType.Short),
            new StructField("i", PrimitiveType.Integer),
            new StructField("l", PrimitiveType.Long),
            new StructField("f", PrimitiveType.Float),
            new StructField("d", PrimitiveType.Double),
            new StructField("bool", PrimitiveType.Boolean),
            new StructField("bin", PrimitiveType.Binary),
            new StructField("dec", new DecimalType(10, 2)),
            new StructField("bigdec", new DecimalType(38, 6)),
            new StructField("ts", PrimitiveType.Timestamp),
            new StructField("ntz", PrimitiveType.TimestampNtz),
            new StructField("st", new StructType(new StructField("x", PrimitiveType.Integer), new StructField("y", new ArrayType(PrimitiveType.String)))),
            new StructField("arr", new ArrayType(new StructType(new StructField("k", PrimitiveType.String), new StructField("v", PrimitiveType.Double)))),
            new StructField("m", new MapType(PrimitiveType.String, new ArrayType(PrimitiveType.Integer))));
        var table = await DeltaTable.CreateAsync(store, "types", schema, options: TestTables.Options(TestTables.Clock()));
        object?[][] rows =
        [
            [
                (sbyte)-5, (short)300, 7, 1L << 40, 1.5f, -2.25, true, new byte[] { 1, 2, 255 }, 12345678.91m,
                System.Data.SqlTypes.SqlDecimal.Parse("12345678901234567890123456789012.123456"),
                new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1230), new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Unspecified),
                new object?[] { 1, new object?[] { "a", null, "c" } },
                new object?[] { new object?[] { "k1", 1.0 }, null, new object?[] { null, 2.0 } },
                new KeyValuePair<object, object?>[] { new("one", new object?[] { 1 }), new("none", null), new("empty", Array.Empty<object?>()) },
            ],
            [null, null, null, null, null, null, null, null, null, null, null, null, null, null, null],
            [
                (sbyte)1, (short)1, 1, 1L, 0f, 0d, false, Array.Empty<byte>(), -0.01m, System.Data.SqlTypes.SqlDecimal.Parse("-1.5"),
                DateTimeOffset.UnixEpoch, DateTime.UnixEpoch, new object?[] { null, Array.Empty<object?>() }, Array.Empty<object?>(),
                Array.Empty<KeyValuePair<object, object?>>(),
            ],
        ];
        await table.AppendAsync(rows);

        var read = await TestTables.ReadAllAsync(table);
        Assert.Equal(rows.Select(RowCanon.Row).Order(), read.Select(RowCanon.Row).Order());
    }

    [Fact]
    public async Task Overwrite_replaces_every_row_and_time_travel_still_sees_the_old_ones()
    {
        using var temp = new TempFolder();
        var store = new LocalObjectStore(temp.Path);
        var clock = TestTables.Clock();
        var table = await DeltaTable.CreateAsync(store, "t", TestTables.People, options: TestTables.Options(clock));
        clock.Advance(TimeSpan.FromMinutes(1));
        await table.AppendAsync(Enumerable.Range(1, 5).Select(i => TestTables.Person(i)));
        clock.Advance(TimeSpan.FromMinutes(1));
        var result = await table.OverwriteAsync(Enumerable.Range(100, 3).Select(i => TestTables.Person(i)));

        Assert.Equal(1, result.FilesRemoved);
        Assert.Equal([100L, 101L, 102L], (await TestTables.ReadAllAsync(table)).Select(r => (long)r[0]!).Order());
        Assert.Equal(5, (await TestTables.ReadAllAsync(table, 1)).Count);
        var asOf = await table.GetSnapshotAsOfAsync(new DateTimeOffset(2026, 1, 1, 0, 1, 30, TimeSpan.Zero));
        Assert.Equal(1, asOf.Version);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => table.GetSnapshotAsOfAsync(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public async Task A_batch_committed_with_a_txn_is_skipped_when_replayed()
    {
        using var temp = new TempFolder();
        var store = new LocalObjectStore(temp.Path);
        var table = await DeltaTable.CreateAsync(store, "t", TestTables.People, options: TestTables.Options(TestTables.Clock()));
        var first = await table.AppendAsync([TestTables.Person(1)], new AppTransaction("kafka-0", 7));
        var replay = await table.AppendAsync([TestTables.Person(1)], new AppTransaction("kafka-0", 7));
        var next = await table.AppendAsync([TestTables.Person(2)], new AppTransaction("kafka-0", 8));

        Assert.False(first.Skipped);
        Assert.True(replay.Skipped);
        Assert.Equal(2, next.Version);
        Assert.Equal(2, (await TestTables.ReadAllAsync(table)).Count);
        Assert.Equal(8, (await table.GetSnapshotAsync()).GetTransactionVersion("kafka-0"));
    }

    [Fact]
    public async Task Every_tenth_commit_writes_a_checkpoint_that_snapshots_start_from()
    {
        using var temp = new TempFolder();
        var store = new LocalObjectStore(temp.Path);
        var table = await DeltaTable.CreateAsync(store, "t", TestTables.People, ["city"], options: TestTables.Options(TestTables.Clock()));
        for (var i = 1; i <= 12; i++)
        {
            await table.AppendAsync([TestTables.Person(i, i % 2 == 0 ? "Lyon" : null)], new AppTransaction("app", i));
        }

        await table.OverwriteAsync([TestTables.Person(99)]);
        Assert.True(File.Exists(Path.Combine(temp.Path, "t", "_delta_log", "00000000000000000010.checkpoint.parquet")));
        var hint = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(temp.Path, "t", "_delta_log", "_last_checkpoint")));
        Assert.Equal(10, hint.RootElement.GetProperty("version").GetInt64());

        var atTen = await table.GetSnapshotAsync(10);
        Assert.Equal(10, atTen.CheckpointVersion);
        Assert.Equal(10, (await TestTables.ReadAllAsync(table, 10)).Count);
        Assert.Equal(10, atTen.GetTransactionVersion("app"));
        var latest = await table.GetSnapshotAsync();
        Assert.Equal(13, latest.Version);
        Assert.Single(await TestTables.ReadAllAsync(table));
        Assert.Equal(12, latest.Tombstones.Count);
    }

    [Fact]
    public async Task A_large_write_is_split_into_files_of_at_most_max_rows()
    {
        using var temp = new TempFolder();
        var store = new LocalObjectStore(temp.Path);
        var options = TestTables.Options(TestTables.Clock()) with { MaxRowsPerFile = 10 };
        var table = await DeltaTable.CreateAsync(store, "t", TestTables.People, ["city"], options: options);
        var result = await table.AppendAsync(Enumerable.Range(0, 25).Select(i => TestTables.Person(i, i < 21 ? "Lyon" : "Paris")));

        Assert.Equal(4, result.FilesAdded);
        var snapshot = await table.GetSnapshotAsync();
        Assert.Equal([1L, 4L, 10L, 10L], snapshot.Files.Select(f => Fhirhouse.Delta.Scan.FileStatistics.NumRecordsOf(f.Stats)!.Value).Order());
        Assert.Equal(25, (await TestTables.ReadAllAsync(table)).Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => (options with { MaxRowsPerFile = 0 }).Validate());
    }

    [Fact]
    public async Task Added_columns_read_as_null_in_older_files_and_breaking_changes_are_refused()
    {
        using var temp = new TempFolder();
        var store = new LocalObjectStore(temp.Path);
        var table = await DeltaTable.CreateAsync(store, "t", TestTables.People, options: TestTables.Options(TestTables.Clock()));
        await table.AppendAsync([TestTables.Person(1)]);
        var wider = new StructType([.. TestTables.People.Fields, new StructField("score", PrimitiveType.Double)]);
        var evolved = await table.EvolveSchemaAsync(wider);
        await table.AppendAsync([[.. TestTables.Person(2), 9.5]]);

        Assert.Equal(2, evolved.Version);
        var rows = (await TestTables.ReadAllAsync(table)).OrderBy(r => (long)r[0]!).ToList();
        Assert.Null(rows[0][5]);
        Assert.Equal(9.5, rows[1][5]);
        Assert.Equal(5, (await table.GetSnapshotAsync(1)).Schema.Fields.Count);
        var narrower = new StructType([.. TestTables.People.Fields.Take(4)]);
        await Assert.ThrowsAsync<ArgumentException>(() => table.EvolveSchemaAsync(narrower));
        var retyped = new StructType([new StructField("id", PrimitiveType.String), .. wider.Fields.Skip(1)]);
        await Assert.ThrowsAsync<ArgumentException>(() => table.EvolveSchemaAsync(retyped));
    }

    [Fact]
    public async Task Statistics_and_partition_values_prune_files_for_a_range()
    {
        using var temp = new TempFolder();
        var store = new LocalObjectStore(temp.Path);
        var table = await DeltaTable.CreateAsync(store, "t", TestTables.People, ["city"], options: TestTables.Options(TestTables.Clock()));
        for (var batch = 0; batch < 3; batch++)
        {
            await table.AppendAsync(Enumerable.Range(batch * 10, 10).Select(i => TestTables.Person(i, batch == 2 ? "Paris" : "Lyon")));
        }

        var snapshot = await table.GetSnapshotAsync();
        Assert.Single(snapshot.FilesMayContain("id", 12L, 15L));
        Assert.Equal(2, snapshot.FilesMayContain("id", 9L, 10L).Count);
        Assert.Empty(snapshot.FilesMayContain("id", 30L, null));
        Assert.Single(snapshot.FilesMayContain("city", "Paris", "Paris"));
        Assert.Single(snapshot.FilesMayContain("born", new DateOnly(1950, 1, 25), new DateOnly(1950, 1, 26)));
        // Person 29's timestamp has sub-millisecond digits: the truncated max must still keep its file.
        var last = (DateTimeOffset)TestTables.Person(29)[3]!;
        Assert.Single(snapshot.FilesMayContain("seen", last, last));
        Assert.Throws<ArgumentException>(() => snapshot.FilesMayContain("nope", 1L, 2L));
    }

    [Fact]
    public async Task The_last_checkpoint_hint_narrows_the_listing_to_the_versions_after_it()
    {
        using var temp = new TempFolder();
        var store = new RecordingStore(new LocalObjectStore(temp.Path));
        var table = await DeltaTable.CreateAsync(store, "t", TestTables.People, options: TestTables.Options(TestTables.Clock()));
        for (var i = 1; i <= 12; i++)
        {
            await table.AppendAsync([TestTables.Person(i)]);
        }

        store.ListedPrefixes.Clear();
        var snapshot = await table.GetSnapshotAsync();
        Assert.Equal(12, snapshot.Version);
        Assert.Equal(10, snapshot.CheckpointVersion);
        Assert.Equal(["t/_delta_log/00000000000000000"], store.ListedPrefixes);

        await File.WriteAllTextAsync(Path.Combine(temp.Path, "t", "_delta_log", "_last_checkpoint"), "{\"version\":999}");
        store.ListedPrefixes.Clear();
        Assert.Equal(12, (await table.GetSnapshotAsync()).Version);
        Assert.Equal("t/_delta_log/", store.ListedPrefixes[^1]);
    }
}
