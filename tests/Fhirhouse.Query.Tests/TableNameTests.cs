using Fhirhouse.Delta;
using Fhirhouse.Delta.Schema;

namespace Fhirhouse.Query.Tests;

/// <summary>Each table has one qualified name <c>zone.table</c>; its short name works only while no other table has it.</summary>
public sealed class TableNameTests
{
    private static readonly StructType s_schema = new([new StructField("id", PrimitiveType.Long, Nullable: false)]);

    private static async Task<TestLake> LakeAsync()
    {
        var lake = new TestLake(encrypted: false);
        var view = await DeltaTable.CreateAsync(lake.Store, "tables/views/patient", s_schema, []);
        await view.AppendAsync([[1L], [2L]]);
        await view.AppendAsync([[3L]]);
        var gold = await DeltaTable.CreateAsync(lake.Store, "tables/gold/patient", s_schema, []);
        await gold.AppendAsync([[10L]]);
        var other = await DeltaTable.CreateAsync(lake.Store, "tables/gold/scores", s_schema, []);
        await other.AppendAsync([[7L]]);
        return lake;
    }

    private static long Count(QueryResult result) => Convert.ToInt64(result.Rows[0][0], System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_short_name_two_tables_share_is_refused_and_each_is_read_by_its_qualified_name()
    {
        using var lake = await LakeAsync();
        using var engine = new QueryEngine(lake.Store);

        var error = await Assert.ThrowsAsync<QueryException>(() => engine.ExecuteAsync("SELECT count(*) FROM patient"));
        Assert.Contains("gold.patient, views.patient", error.Message, StringComparison.Ordinal);

        Assert.Equal(3, Count(await engine.ExecuteAsync("SELECT count(*) FROM views.patient")));
        Assert.Equal(1, Count(await engine.ExecuteAsync("SELECT count(*) FROM gold.patient")));
        Assert.Equal(1, Count(await engine.ExecuteAsync("SELECT count(*) FROM scores")));
        Assert.Equal(1, Count(await engine.ExecuteAsync("SELECT count(*) FROM GOLD.scores")));
        Assert.Equal(4, Count(await engine.ExecuteAsync("SELECT (SELECT count(*) FROM views.patient) + (SELECT count(*) FROM gold.patient)")));
        Assert.Equal(2, Count(await engine.ExecuteAsync("SELECT count(*) FROM views.patient AT (VERSION => 1)")));
        Assert.Equal(1, Count(await engine.ExecuteAsync("SELECT count(*) FROM views.patient AT (VERSION => 2) WHERE id = 3")));
    }

    [Fact]
    public async Task The_tables_are_listed_by_qualified_name()
    {
        using var lake = await LakeAsync();
        using var engine = new QueryEngine(lake.Store);

        var tables = await engine.ListTablesAsync();

        Assert.Equal(["gold.patient", "gold.scores", "views.patient"], tables.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.Contains(tables, t => t.Name == "views.patient" && t.Path == "tables/views/patient");
    }
}
