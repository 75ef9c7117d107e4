using Fhirhouse.Delta.Columnar;
using Fhirhouse.Delta.Operations;
using Fhirhouse.Delta.Scan;
using Fhirhouse.Delta.Schema;
using Fhirhouse.Storage;
using Fhirhouse.Storage.Local;
using Fhirhouse.Testing;

namespace Fhirhouse.Delta.Tests.Scan;

public sealed class ScanFileTests
{
    private static readonly StructType s_schema = new(
        new StructField("id", PrimitiveType.Long, Nullable: false),
        new StructField("name", PrimitiveType.String),
        new StructField("at", PrimitiveType.Timestamp),
        new StructField("day", PrimitiveType.Date));

    private static readonly DateTimeOffset s_start = new(2024, 2, 29, 10, 0, 0, TimeSpan.Zero);

    /// <summary>Three files, one per day (partition "day"), ids 1-10, 11-20, 21-30; names "n01".."n30", "a b" in one.</summary>
    private static async Task<(DeltaTable Table, LocalObjectStore Store)> NewTableAsync(TempFolder temp)
    {
        var store = new LocalObjectStore(temp.Path);
        var table = await DeltaTable.CreateAsync(store, "t", s_schema, ["day"], options: new DeltaTableOptions { TimeProvider = TestTables.Clock() });
        for (var day = 0; day < 3; day++)
        {
            var date = new DateOnly(2024, 2, 27).AddDays(day);
            await table.AppendAsync(Enumerable.Range((day * 10) + 1, 10).Select(i => new object?[]
            {
                (long)i, i == 15 ? null : $"n{i:D2}", s_start.AddMinutes(i).AddTicks(7), date,
            }));
        }

        return (table, store);
    }

    [Fact]
    public async Task Scan_files_give_the_decoded_key_the_partition_values_and_typed_statistics()
    {
        using var temp = new TempFolder();
        var (table, store) = await NewTableAsync(temp);
        var snapshot = await table.GetSnapshotAsync();

        var files = snapshot.ScanFiles();

        Assert.Equal(snapshot.Files.Select(f => f.Path), files.Select(f => f.Add.Path));
        var second = files[1];
        Assert.StartsWith("t/day=2024-02-28/part-", second.Key, StringComparison.Ordinal);
        Assert.True(await store.ExistsAsync(second.Key));
        Assert.Equal("2024-02-28", second.PartitionValues["DAY"]);
        Assert.Equal(new DateOnly(2024, 2, 28), second.PartitionValue("day"));
        var stats = Assert.IsType<FileStatistics>(second.Statistics);
        Assert.Equal(10, stats.NumRecords);
        Assert.Equal(11L, stats.MinValues["id"]);
        Assert.Equal(20L, stats.MaxValues["id"]);
        Assert.Equal("n11", stats.MinValues["name"]);
        Assert.Equal(1, stats.NullCount["name"]);
        Assert.Equal(s_start.AddMinutes(11), stats.MinValues["at"]);
        Assert.Equal(s_start.AddMinutes(20), stats.MaxValues["at"]);
        Assert.Throws<ArgumentException>(() => second.PartitionValue("id"));
    }

    [Theory]
    [InlineData(Comparison.Equal, 15L, 1)]
    [InlineData(Comparison.Less, 11L, 0)]
    [InlineData(Comparison.LessOrEqual, 11L, 0, 1)]
    [InlineData(Comparison.Greater, 20L, 2)]
    [InlineData(Comparison.GreaterOrEqual, 20L, 1, 2)]
    [InlineData(Comparison.Greater, 30L)]
    public async Task Comparisons_skip_the_files_whose_statistics_rule_them_out(Comparison comparison, long value, params int[] kept)
    {
        using var temp = new TempFolder();
        var (table, _) = await NewTableAsync(temp);
        var snapshot = await table.GetSnapshotAsync();
        var all = snapshot.ScanFiles();

        var files = snapshot.ScanFiles(RowPredicate.Compare("id", comparison, value));

        Assert.Equal(kept.Select(i => all[i].Key), files.Select(f => f.Key));
    }

    [Fact]
    public async Task Partition_values_timestamps_and_conjunctions_skip_files_and_the_rows_still_match_exactly()
    {
        using var temp = new TempFolder();
        var (table, _) = await NewTableAsync(temp);
        var snapshot = await table.GetSnapshotAsync();
        var all = snapshot.ScanFiles();

        Assert.Equal([all[2].Key], snapshot.ScanFiles(RowPredicate.Compare("day", Comparison.Greater, new DateOnly(2024, 2, 28))).Select(f => f.Key));
        // The statistics hold milliseconds: a bound within the last recorded millisecond keeps the file.
        Assert.Equal([all[1].Key, all[2].Key], snapshot.ScanFiles(RowPredicate.Compare("at", Comparison.GreaterOrEqual, s_start.AddMinutes(20).AddTicks(5))).Select(f => f.Key));
        Assert.Equal([all[0].Key], snapshot.ScanFiles(RowPredicate.And(
            RowPredicate.Compare("id", Comparison.Less, 12L), RowPredicate.In("day", [new DateOnly(2024, 2, 27), new DateOnly(2024, 3, 1)]))).Select(f => f.Key));
        Assert.Empty(snapshot.ScanFiles(RowPredicate.In("name", ["zz"])));
        Assert.Equal(3, snapshot.ScanFiles(RowPredicate.In("name", ["é"])).Count);

        var result = await table.DeleteAsync(RowPredicate.And(RowPredicate.Compare("id", Comparison.GreaterOrEqual, 19), RowPredicate.Compare("name", Comparison.Less, "n22")));

        Assert.Equal(2, result.FilesRemoved);
        var ids = (await TestTables.ReadAllAsync(table)).Select(r => (long)r[0]!).Order().ToList();
        Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i).Except([19L, 20L, 21L]), ids);
    }

    [Fact]
    public async Task A_predicate_on_a_missing_column_or_with_a_value_of_another_type_is_refused_by_name()
    {
        using var temp = new TempFolder();
        var (table, _) = await NewTableAsync(temp);
        var snapshot = await table.GetSnapshotAsync();

        Assert.Contains("'nope'", Assert.Throws<ArgumentException>(() => snapshot.ScanFiles(RowPredicate.Compare("nope", Comparison.Equal, 1L))).Message, StringComparison.Ordinal);
        Assert.Contains("Int64", Assert.Throws<ArgumentException>(() => snapshot.ScanFiles(RowPredicate.Compare("id", Comparison.Equal, "1"))).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ColumnarReadMode.Ranged)]
    [InlineData(ColumnarReadMode.Whole)]
    public async Task A_columnar_reader_reads_a_scan_file_by_column(ColumnarReadMode mode)
    {
        using var temp = new TempFolder();
        var (table, store) = await NewTableAsync(temp);
        var file = (await table.GetSnapshotAsync()).ScanFiles()[1];

        var reader = await ColumnarFileReader.OpenAsync(store, file, mode, CancellationToken.None);
        await using (reader)
        {
            Assert.Equal(1, reader.RowGroupCount);
            Assert.Equal(10, reader.RowGroupRows(0));
            var names = await reader.ReadStringsAsync(0, "name", CancellationToken.None);
            Assert.Equal(Enumerable.Range(11, 10).Select(i => i == 15 ? null : $"n{i:D2}"), names);
            Assert.Equal(Enumerable.Range(11, 10).Select(i => (long)i), await reader.ReadValuesAsync<long>(0, "id", CancellationToken.None));
            var times = await reader.ReadTimestampsAsync(0, "at", CancellationToken.None);
            Assert.Equal(s_start.AddMinutes(11), times[0]);
            var seen = new List<(int, string)>();
            await reader.ForEachUtf8Async(0, "name", (row, utf8) => seen.Add((row, System.Text.Encoding.UTF8.GetString(utf8))), CancellationToken.None);
            Assert.Equal(9, seen.Count);
            Assert.Equal((5, "n16"), seen[4]);
            await Assert.ThrowsAsync<InvalidDataException>(() => reader.ReadStringsAsync(0, "day", CancellationToken.None));
        }

        await Assert.ThrowsAsync<ObjectDisposedException>(() => reader.ReadStringsAsync(0, "name", CancellationToken.None));
    }
}
