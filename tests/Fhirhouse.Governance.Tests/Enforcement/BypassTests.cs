using Fhirhouse.Query.Access;

namespace Fhirhouse.Governance.Tests.Enforcement;

/// <summary>A data scientist for research tries to reach names and unconsented patients around the policy.</summary>
public sealed class BypassTests
{
    [Theory]
    [InlineData("SELECT * FROM read_parquet('tables/views/patient/*.parquet')", "table function 'read_parquet'")]
    [InlineData("SELECT * FROM read_csv('/etc/passwd')", "table function 'read_csv'")]
    [InlineData("SELECT * FROM glob('*')", "table function 'glob'")]
    [InlineData("SELECT * FROM query_table('patient')", "table function 'query_table'")]
    [InlineData("SELECT * FROM duckdb_views()", "table function 'duckdb_views'")]
    [InlineData("SELECT * FROM 'tables/views/patient/part-00000.parquet'", "is not a lake table")]
    [InlineData("SELECT * FROM information_schema.tables", "'information_schema.tables' is refused")]
    [InlineData("SELECT * FROM temp.main.patient", "'temp.main.patient' is refused")]
    [InlineData("SELECT fhirhouse_mask_hash('p2')", "reserved to the engine")]
    [InlineData("SELECT * FROM (SELECT 1) t, (SELECT * FROM read_parquet('x.parquet')) u", "table function 'read_parquet'")]
    public async Task Reading_around_the_lake_tables_is_refused(string sql, string reason)
    {
        using var lake = await GovernedLake.CreateAsync();
        using var engine = await lake.EngineAsync("data-scientist", "research");

        var denied = await Assert.ThrowsAsync<AccessDeniedException>(() => engine.ExecuteAsync(sql));

        Assert.Contains(reason, denied.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("WITH x AS (SELECT * FROM patient) SELECT family, given, count(*) OVER () FROM x")]
    [InlineData("SELECT family, given, (SELECT count(*) FROM patient) FROM (SELECT * FROM patient) AS s")]
    [InlineData("SELECT family, given, count(*) OVER () FROM (SELECT DISTINCT p.id, p.family, p.given FROM observation o JOIN patient p ON o.patient_id = p.id WHERE o.value > 0)")]
    [InlineData("SELECT family, given, count(*) OVER () FROM patient AT (VERSION => 1)")]
    [InlineData("SELECT family, given, count(*) OVER () FROM patient WHERE id IN (SELECT id FROM patient AT (VERSION => 1))")]
    [InlineData("WITH patient AS (SELECT * FROM patient) SELECT family, given, count(*) OVER () FROM patient")]
    public async Task Ctes_subqueries_joins_and_time_travel_stay_masked_and_filtered(string sql)
    {
        using var lake = await GovernedLake.CreateAsync();
        using var engine = await lake.EngineAsync("data-scientist", "research");

        var result = await engine.ExecuteAsync(sql);

        Assert.Equal(2, result.Rows.Count);
        Assert.All(result.Rows, r => Assert.Equal([null, null, 2L], r));
    }

    [Fact]
    public async Task A_predicate_on_a_masked_column_compares_masked_values_and_never_prunes_on_the_raw_ones()
    {
        using var lake = await GovernedLake.CreateAsync();
        using var engine = await lake.EngineAsync("data-scientist", "research");

        // Raw postcodes range from 44000 to 75011: pruning on '44' against those statistics would drop the only file.
        var area = await engine.ExecuteAsync("SELECT count(*) FROM patient WHERE postal_code = '44'");
        var raw = await engine.ExecuteAsync("SELECT count(*) FROM patient WHERE postal_code = '44000'");
        var unconsented = await engine.ExecuteAsync("SELECT count(*) FROM observation WHERE patient_id = 'p2'");

        Assert.Equal(1L, area.Rows[0][0]);
        Assert.Equal(0L, raw.Rows[0][0]);
        Assert.Equal(0L, unconsented.Rows[0][0]);
    }

    [Fact]
    public async Task Describe_and_summarize_see_the_masked_filtered_table()
    {
        using var lake = await GovernedLake.CreateAsync();
        using var engine = await lake.EngineAsync("data-scientist", "research");

        var described = await engine.ExecuteAsync("DESCRIBE patient");
        var summary = await engine.ExecuteAsync("SELECT column_name, min, max, count FROM (SUMMARIZE patient) WHERE column_name IN ('family', 'birth_date') ORDER BY column_name");

        Assert.Contains(described.Rows, r => (string)r[0]! == "family");
        Assert.Equal(["birth_date", "1961", "1990", 2L], summary.Rows[0]);
        Assert.Equal(["family", null, null, 2L], summary.Rows[1]);
    }
}
