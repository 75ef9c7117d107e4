using Fhirhouse.Delta;
using Fhirhouse.Delta.Schema;

namespace Fhirhouse.Query.Tests;

public sealed class QueryEngineTests
{
    private static readonly StructType People = new(
    [
        new StructField("kind", PrimitiveType.String, Nullable: false),
        new StructField("id", PrimitiveType.Long, Nullable: false),
        new StructField("name", PrimitiveType.String),
        new StructField("score", PrimitiveType.Double),
        new StructField("born", PrimitiveType.Date),
    ]);

    private static object?[] Person(long id, string kind = "staff") =>
        [kind, id, "p" + id, id * 1.5, new DateOnly(1950, 1, 1).AddDays((int)id)];

    /// <summary>tables/people, partitioned by kind: version 1 ids 0..9 (staff), version 2 ids 10..19 (patient), version 3 ids 20..29 (staff).</summary>
    private static async Task<DeltaTable> PeopleAsync(TestLake lake)
    {
        var table = await DeltaTable.CreateAsync(lake.Store, "tables/people", People, ["kind"]);
        await table.AppendAsync(Enumerable.Range(0, 10).Select(i => Person(i)));
        await table.AppendAsync(Enumerable.Range(10, 10).Select(i => Person(i, "patient")));
        await table.AppendAsync(Enumerable.Range(20, 10).Select(i => Person(i)));
        return table;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_lake_table_is_queried_by_name_with_its_partition_values_and_typed_columns(bool encrypted)
    {
        using var lake = new TestLake(encrypted);
        await PeopleAsync(lake);
        using var engine = new QueryEngine(lake.Store);

        var result = await engine.ExecuteAsync("SELECT kind, count(*) AS n, sum(id) AS ids, min(born) AS first FROM people GROUP BY kind ORDER BY kind");

        Assert.Equal(["kind", "n", "ids", "first"], result.Columns.Select(c => c.Name));
        Assert.Equal("VARCHAR", result.Columns[0].Type);
        Assert.Equal(2, result.Rows.Count);
        Assert.Equal(["patient", 10L], result.Rows[0][..2]);
        Assert.Equal("145", Convert.ToString(result.Rows[0][2], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(["staff", 20L], result.Rows[1][..2]);
        Assert.Equal(new DateOnly(1950, 1, 1), result.Rows[1][3]);
        Assert.Equal(encrypted ? 3 : 0, engine.Decryptions);
        Assert.Equal(3, result.Tables.Single().Files);
    }

    [Fact]
    public async Task Files_are_pruned_by_partition_value_and_by_statistics_and_the_answer_does_not_change()
    {
        using var lake = new TestLake(encrypted: true);
        await PeopleAsync(lake);
        using var engine = new QueryEngine(lake.Store);

        var byPartition = await engine.ExecuteAsync("SELECT count(*) FROM people WHERE kind = 'patient'");
        Assert.Equal(10L, byPartition.Rows[0][0]);
        Assert.Equal(1, byPartition.Tables.Single().FilesRead);

        var byStats = await engine.ExecuteAsync("SELECT p.name FROM people AS p WHERE p.id >= 25 AND p.score < 40 ORDER BY p.id");
        Assert.Equal(["p25", "p26"], byStats.Rows.Select(r => (string)r[0]!));
        Assert.Equal(1, byStats.Tables.Single().FilesRead);

        var byIn = await engine.ExecuteAsync("SELECT count(*) FROM people WHERE id IN (3, 12)");
        Assert.Equal(2L, byIn.Rows[0][0]);
        Assert.Equal(2, byIn.Tables.Single().FilesRead);

        var byDate = await engine.ExecuteAsync("SELECT count(*) FROM people WHERE born > '1950-01-25'");
        Assert.Equal(5L, byDate.Rows[0][0]);
        Assert.Equal(1, byDate.Tables.Single().FilesRead);

        var twice = await engine.ExecuteAsync("SELECT count(*) FROM people a JOIN people b ON a.id = b.id WHERE a.id = 3");
        Assert.Equal(1L, twice.Rows[0][0]);
        Assert.All(twice.Tables, t => Assert.Equal(3, t.FilesRead));

        var none = await engine.ExecuteAsync("SELECT count(*) FROM people WHERE id > 1000");
        Assert.Equal(0L, none.Rows[0][0]);
        Assert.Equal(0, none.Tables.Single().FilesRead);
    }

    [Fact]
    public async Task Time_travel_reads_a_table_at_a_version_or_a_timestamp_in_sql_and_for_the_whole_query()
    {
        using var lake = new TestLake(encrypted: false);
        var table = await PeopleAsync(lake);
        using var engine = new QueryEngine(lake.Store);

        var atVersion = await engine.ExecuteAsync("SELECT count(*) FROM people AT (VERSION => 1)");
        Assert.Equal(10L, atVersion.Rows[0][0]);
        Assert.Equal(1, atVersion.Tables.Single().Version);

        var both = await engine.ExecuteAsync("SELECT (SELECT count(*) FROM people AT (VERSION => 2)) AS then, (SELECT count(*) FROM people) AS now");
        Assert.Equal([20L, 30L], both.Rows[0]);

        var asOf = await engine.ExecuteAsync("SELECT count(*) FROM people", AsOf.AtVersion(2));
        Assert.Equal(20L, asOf.Rows[0][0]);

        var history = await table.GetHistoryAsync();
        var second = history.Single(h => h.Version == 2).Timestamp;
        var atTime = await engine.ExecuteAsync($"SELECT count(*) FROM people AT (TIMESTAMP => '{second:O}')");
        Assert.True((long)atTime.Rows[0][0]! >= 20);

        var error = await Assert.ThrowsAsync<QueryException>(() => engine.ExecuteAsync("SELECT * FROM people AT (VERSION => 9)"));
        Assert.True(error.Message.Contains("no version", StringComparison.Ordinal), error.Message);
        var bad = await Assert.ThrowsAsync<QueryException>(() => engine.ExecuteAsync("SELECT * FROM people AT (VERSION => 'x')"));
        Assert.Contains("neither a table version", bad.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("DELETE FROM people")]
    [InlineData("UPDATE people SET name = 'x'")]
    [InlineData("INSERT INTO people VALUES ('a', 1, 'x', 1.0, DATE '2000-01-01')")]
    [InlineData("CREATE TABLE t AS SELECT 1")]
    [InlineData("DROP VIEW people")]
    [InlineData("COPY people TO '/tmp/leak.csv'")]
    [InlineData("ATTACH 'x.db'")]
    public async Task Statements_that_change_anything_are_refused_and_say_so(string sql)
    {
        using var lake = new TestLake(encrypted: false);
        await PeopleAsync(lake);
        using var engine = new QueryEngine(lake.Store);

        var error = await Assert.ThrowsAsync<QueryException>(() => engine.ExecuteAsync(sql));

        Assert.Contains("read-only", error.Message, StringComparison.Ordinal);
        Assert.Equal(30L, (await engine.ExecuteAsync("SELECT count(*) FROM people")).Rows[0][0]);
    }

    [Fact]
    public async Task Several_statements_at_once_and_syntax_errors_are_refused_with_the_reason()
    {
        using var lake = new TestLake(encrypted: false);
        using var engine = new QueryEngine(lake.Store);

        var two = await Assert.ThrowsAsync<QueryException>(() => engine.ExecuteAsync("SELECT 1; SELECT 2"));
        Assert.Contains("One statement", two.Message, StringComparison.Ordinal);
        var syntax = await Assert.ThrowsAsync<QueryException>(() => engine.ExecuteAsync("SELEC 1"));
        Assert.Contains("syntax", syntax.Message, StringComparison.OrdinalIgnoreCase);
        var missing = await Assert.ThrowsAsync<QueryException>(() => engine.ExecuteAsync("SELECT * FROM nowhere"));
        Assert.Contains("nowhere", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_written_before_a_column_existed_reads_that_column_as_null()
    {
        using var lake = new TestLake(encrypted: false);
        var old = new StructType([new StructField("id", PrimitiveType.Long), new StructField("name", PrimitiveType.String)]);
        var table = await DeltaTable.CreateAsync(lake.Store, "tables/evolving", old);
        await table.AppendAsync([[1L, "a"]]);
        // Version 2 adds a column (as Spark's schema evolution would): a new metaData action, then a file with it.
        var wider = new StructType([.. old.Fields, new StructField("score", PrimitiveType.Double)]);
        var snapshot = await table.GetSnapshotAsync();
        var schemaJson = System.Text.Json.JsonSerializer.Serialize(SchemaJson.Serialize(wider));
        var metadata = $$$"""{"metaData":{"id":"{{{snapshot.Metadata.Id}}}","format":{"provider":"parquet","options":{}},"schemaString":{{{schemaJson}}},"partitionColumns":[],"configuration":{},"createdTime":0}}""";
        await File.WriteAllTextAsync(Path.Combine(lake.LakePath, "tables/evolving/_delta_log/00000000000000000002.json"), metadata + "\n");
        var reopened = await DeltaTable.OpenAsync(lake.Store, "tables/evolving");
        await reopened.AppendAsync([[2L, "b", 2.5]]);
        using var engine = new QueryEngine(lake.Store);

        var result = await engine.ExecuteAsync("SELECT id, name, score FROM evolving ORDER BY id");

        Assert.Equal([1L, "a", null], result.Rows[0]);
        Assert.Equal([2L, "b", 2.5], result.Rows[1]);
    }
}
