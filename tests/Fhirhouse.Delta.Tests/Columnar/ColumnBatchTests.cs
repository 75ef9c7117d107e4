using System.Text.Json;
using DuckDB.NET.Data;
using Fhirhouse.Delta.Columnar;
using Fhirhouse.Delta.Schema;
using Fhirhouse.Delta.Tests.Golden;
using Fhirhouse.Storage.Local;
using Fhirhouse.Testing;

namespace Fhirhouse.Delta.Tests.Columnar;

public sealed class ColumnBatchTests
{
    private static readonly StructType Schema = new(
        new StructField("key", PrimitiveType.String, Nullable: false),
        new StructField("text", PrimitiveType.String),
        new StructField("count", PrimitiveType.Long),
        new StructField("value", PrimitiveType.Double),
        new StructField("flag", PrimitiveType.Boolean),
        new StructField("seen", PrimitiveType.Timestamp),
        new StructField("codes", new ArrayType(PrimitiveType.String)),
        new StructField("sizes", new ArrayType(PrimitiveType.Long)));

    private static readonly DateTimeOffset Start = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Rows with nulls, empty and null arrays, null elements, non-ASCII text and NaN.</summary>
    private static List<object?[]> Rows() =>
    [
        ["Observation/1", "diabète de type 2", 3L, 7.25, true, Start.AddTicks(1_234_560), new object?[] { "a", "b" }, new object?[] { 1L, 2L }],
        ["Observation/2", null, null, null, null, null, null, null],
        ["Observation/3", "zèbre", -4L, double.NaN, false, Start.AddDays(-1), new object?[] { }, new object?[] { null, 5L }],
        ["Observation/4", "Ärzte 🩺", long.MaxValue, -0.5, true, Start.AddTicks(9_990), new object?[] { null }, new object?[] { }],
    ];

    private static void Fill(ColumnBatch batch, IEnumerable<object?[]> rows)
    {
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                var column = batch[i];
                switch (row[i])
                {
                    case null:
                        column.AppendNull();
                        break;
                    case string s when i == 0:
                        column.Append(System.Text.Encoding.UTF8.GetBytes(s));
                        break;
                    case string s:
                        column.Append(s);
                        break;
                    case long l:
                        column.Append(l);
                        break;
                    case double d:
                        column.Append(d);
                        break;
                    case bool b:
                        column.Append(b);
                        break;
                    case DateTimeOffset t:
                        column.Append(t);
                        break;
                    case object?[] items:
                        column.BeginList();
                        foreach (var item in items)
                        {
                            switch (item)
                            {
                                case null:
                                    column.AppendNull();
                                    break;
                                case string s:
                                    column.Append(s);
                                    break;
                                default:
                                    column.Append((long)item);
                                    break;
                            }
                        }

                        column.EndList();
                        break;
                }
            }

            batch.EndRow();
        }
    }

    [Fact]
    public async Task A_batch_reads_back_as_the_row_writer_writes_through_our_reader_and_DuckDB()
    {
        using var temp = new TempFolder();
        var store = new LocalObjectStore(temp.Path);
        var byRows = await DeltaTable.CreateAsync(store, "rows", Schema, options: TestTables.Options(TestTables.Clock()));
        var byColumns = await DeltaTable.CreateAsync(store, "columns", Schema, options: TestTables.Options(TestTables.Clock()));
        await byRows.AppendAsync(Rows());
        using var batch = new ColumnBatch(Schema);
        Fill(batch, Rows());
        Assert.Equal(4, batch.Count);
        var file = await byColumns.WriteColumnsAsync(batch);
        await byColumns.AppendFilesAsync(_ => Task.FromResult<IReadOnlyList<DataFile>>([file]));

        var expected = (await TestTables.ReadAllAsync(byRows)).Select(RowCanon.Row).Order().ToList();
        Assert.Equal(4, expected.Count);
        Assert.Equal(expected, (await TestTables.ReadAllAsync(byColumns)).Select(RowCanon.Row).Order());

        using var duck = new DuckDBConnection("Data Source=:memory:");
        duck.Open();
        using var command = duck.CreateCommand();
        command.CommandText = $"""
            SELECT string_agg(concat_ws('~', key, coalesce(text, '-'), coalesce(count::VARCHAR, '-'), coalesce(flag::VARCHAR, '-'),
                coalesce(array_to_string(codes, ','), '-'), coalesce(len(codes)::VARCHAR, '-'), coalesce(list_sum(sizes)::VARCHAR, '-')), ' | ' ORDER BY key)
            FROM read_parquet('{Path.Combine(temp.Path, "columns", file.RelativePath)}')
            """;
        Assert.Equal(
            "Observation/1~diabète de type 2~3~true~a,b~2~3 | Observation/2~-~-~-~-~-~- | Observation/3~zèbre~-4~false~~0~5 | Observation/4~Ärzte 🩺~9223372036854775807~true~-~1~-",
            command.ExecuteScalar());
    }

    [Fact]
    public async Task Statistics_follow_the_row_writer_rules_with_timestamp_bounds_that_stay_bounds()
    {
        using var temp = new TempFolder();
        var store = new LocalObjectStore(temp.Path);
        var table = await DeltaTable.CreateAsync(store, "t", Schema, options: TestTables.Options(TestTables.Clock()));
        using var batch = new ColumnBatch(Schema);
        var rows = Rows();
        rows.Add(["Observation/5", new string('é', 70), 0L, 1.5, true, Start, null, null]);
        Fill(batch, rows);

        var stats = JsonDocument.Parse((await table.WriteColumnsAsync(batch)).Stats!).RootElement;
        Assert.Equal(5, stats.GetProperty("numRecords").GetInt64());
        var min = stats.GetProperty("minValues");
        var max = stats.GetProperty("maxValues");
        Assert.Equal("Observation/1", min.GetProperty("key").GetString());
        Assert.Equal("Observation/5", max.GetProperty("key").GetString());
        // UTF-8 byte order; the 70-character string gives a 64-character prefix as minimum and takes the maximum away.
        Assert.Equal("diabète de type 2", min.GetProperty("text").GetString());
        Assert.False(max.TryGetProperty("text", out _));
        Assert.Equal(-4, min.GetProperty("count").GetInt64());
        Assert.Equal(long.MaxValue, max.GetProperty("count").GetInt64());
        Assert.Equal(-0.5, min.GetProperty("value").GetDouble());
        Assert.Equal(7.25, max.GetProperty("value").GetDouble());
        Assert.False(min.TryGetProperty("flag", out _));
        Assert.False(min.TryGetProperty("codes", out _));
        // 12:00:00.123456 is recorded as 12:00:00.124 (rounded up, still a maximum); the minimum is exact.
        Assert.Equal("2025-06-01T12:00:00.124Z", max.GetProperty("seen").GetString());
        Assert.Equal("2025-05-31T12:00:00.000Z", min.GetProperty("seen").GetString());
        var nulls = stats.GetProperty("nullCount");
        Assert.Equal(0, nulls.GetProperty("key").GetInt64());
        Assert.Equal(1, nulls.GetProperty("text").GetInt64());
        Assert.Equal(1, nulls.GetProperty("value").GetInt64());
        Assert.Equal(2, nulls.GetProperty("codes").GetInt64());
    }

    [Fact]
    public async Task Rows_after_a_mark_are_dropped_whole_and_the_batch_is_reused_after_clear()
    {
        using var temp = new TempFolder();
        var store = new LocalObjectStore(temp.Path);
        var table = await DeltaTable.CreateAsync(store, "t", Schema, options: TestTables.Options(TestTables.Clock()));
        using var batch = new ColumnBatch(Schema);
        var rows = Rows();
        Fill(batch, rows.Take(2));
        batch.Mark();
        Fill(batch, rows.Skip(2).Take(1));
        batch[0].Append("Observation/half"u8);
        batch[6].BeginList();
        batch[6].Append("open");
        batch.ResetToMark();
        Fill(batch, rows.Skip(3));

        var file = await table.WriteColumnsAsync(batch);
        await table.AppendFilesAsync(_ => Task.FromResult<IReadOnlyList<DataFile>>([file]));
        Assert.Equal(
            string.Join("\n", new[] { rows[0], rows[1], rows[3] }.Select(RowCanon.Row).Order()),
            string.Join("\n", (await TestTables.ReadAllAsync(table)).Select(RowCanon.Row).Order()));

        // After Clear the arena is reused: text appended again (the same string instances) must be written anew.
        batch.Clear();
        Assert.Equal(0, batch.Count);
        Fill(batch, [[new string('k', 4096), null, null, null, null, null, null, null]]);
        Fill(batch, rows.Skip(3));
        Fill(batch, rows.Take(1));
        var again = await DeltaTable.CreateAsync(store, "again", Schema, options: TestTables.Options(TestTables.Clock()));
        var second = await again.WriteColumnsAsync(batch);
        await again.AppendFilesAsync(_ => Task.FromResult<IReadOnlyList<DataFile>>([second]));
        Assert.Equal(
            string.Join("\n", new[] { rows[0], rows[3], [new string('k', 4096), null, null, null, null, null, null, null] }.Select(RowCanon.Row).Order()),
            string.Join("\n", (await TestTables.ReadAllAsync(again)).Select(RowCanon.Row).Order()));
    }

    [Fact]
    public async Task Misuse_gets_errors_that_name_the_column()
    {
        using var batch = new ColumnBatch(Schema);
        Assert.Contains("'count'", Assert.Throws<ArgumentException>(() => batch[2].Append("three")).Message, StringComparison.Ordinal);
        Assert.Contains("'key' is not nullable", Assert.Throws<ArgumentException>(() => batch[0].AppendNull()).Message, StringComparison.Ordinal);
        Assert.Contains("'codes'", Assert.Throws<InvalidOperationException>(() => batch[6].Append("x")).Message, StringComparison.Ordinal);
        batch[0].Append("k"u8);
        Assert.Contains("column 'text' received 0 values", Assert.Throws<InvalidOperationException>(batch.EndRow).Message, StringComparison.Ordinal);
        Assert.Contains("'when'", Assert.Throws<NotSupportedException>(() => new ColumnBatch(new StructType(new StructField("when", PrimitiveType.Date)))).Message, StringComparison.Ordinal);

        using var temp = new TempFolder();
        var store = new LocalObjectStore(temp.Path);
        var partitioned = await DeltaTable.CreateAsync(store, "p", new StructType([.. Schema.Fields, new StructField("site", PrimitiveType.String)]), ["site"]);
        using var other = new ColumnBatch(new StructType(Schema.Fields[0]));
        Assert.Contains("not the data columns", (await Assert.ThrowsAsync<ArgumentException>(() => partitioned.WriteColumnsAsync(other, new Dictionary<string, string?> { ["site"] = "a" }))).Message, StringComparison.Ordinal);
        Assert.Contains("partitioned by [site]", (await Assert.ThrowsAsync<ArgumentException>(() => partitioned.WriteColumnsAsync(batch))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_batch_lands_in_its_partition()
    {
        using var temp = new TempFolder();
        var store = new LocalObjectStore(temp.Path);
        var table = await DeltaTable.CreateAsync(store, "p", new StructType([.. Schema.Fields, new StructField("site", PrimitiveType.String)]), ["site"],
            options: TestTables.Options(TestTables.Clock()));
        using var batch = new ColumnBatch(Schema);
        Fill(batch, Rows());
        var file = await table.WriteColumnsAsync(batch, new Dictionary<string, string?> { ["site"] = "Lyon" });
        Assert.StartsWith("site=Lyon/", file.RelativePath, StringComparison.Ordinal);
        await table.AppendFilesAsync(_ => Task.FromResult<IReadOnlyList<DataFile>>([file]));

        var read = await TestTables.ReadAllAsync(table);
        Assert.Equal(4, read.Count);
        Assert.All(read, r => Assert.Equal("Lyon", r[^1]));
    }

    [Fact]
    public async Task A_disposed_batch_throws_object_disposed_on_use_and_a_second_dispose_is_harmless()
    {
        using var temp = new TempFolder();
        var table = await DeltaTable.CreateAsync(new LocalObjectStore(temp.Path), "batch", Schema);
        var batch = new ColumnBatch(Schema);
        Fill(batch, Rows());
        var text = batch[1];
        var count = batch[2];
        var codes = batch[6];

        batch.Dispose();
        batch.Dispose();

        Assert.Equal(4, batch.Count);
        Assert.Equal(0, batch.ReservedBytes);
        Assert.Throws<ObjectDisposedException>(() => batch[0]);
        Assert.Throws<ObjectDisposedException>(() => text.Append("after"));
        Assert.Throws<ObjectDisposedException>(() => text.Append("after"u8));
        Assert.Throws<ObjectDisposedException>(() => count.Append(1L));
        Assert.Throws<ObjectDisposedException>(text.AppendNull);
        Assert.Throws<ObjectDisposedException>(codes.BeginList);
        Assert.Throws<ObjectDisposedException>(batch.EndRow);
        Assert.Throws<ObjectDisposedException>(batch.Mark);
        Assert.Throws<ObjectDisposedException>(batch.ResetToMark);
        Assert.Throws<ObjectDisposedException>(batch.Clear);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => table.WriteColumnsAsync(batch));
        Assert.Empty((await table.GetSnapshotAsync()).Files);
    }
}
