using Fhirhouse.Storage.Local;
using Fhirhouse.Testing;

namespace Fhirhouse.Delta.Tests.Golden;

/// <summary>Spark's time-travel golden tables read at each of their versions.</summary>
public sealed class TimeTravelGoldenTests
{
    [Theory]
    [InlineData(0, 10)]
    [InlineData(1, 20)]
    [InlineData(2, 30)]
    public async Task Each_version_of_a_spark_table_has_the_rows_spark_wrote_by_then(long version, int rows)
    {
        var store = new LocalObjectStore(RepoPaths.TestData("delta", "spark-golden", "time-travel-start-start20-start40"));
        var table = await DeltaTable.OpenAsync(store, "");
        var read = await TestTables.ReadAllAsync(table, version);

        Assert.Equal(rows, read.Count);
        Assert.Equal(Enumerable.Range(0, rows).Select(i => (long)i), read.Select(r => Convert.ToInt64(r[0])).Order());
    }

    [Fact]
    public async Task Time_travel_across_a_schema_change_reads_new_columns_as_null_in_old_files()
    {
        var store = new LocalObjectStore(RepoPaths.TestData("delta", "spark-golden", "time-travel-schema-changes-b"));
        var table = await DeltaTable.OpenAsync(store, "");
        var v0 = await table.GetSnapshotAsync(0);
        var v1 = await table.GetSnapshotAsync(1);
        var rows = await TestTables.ReadAllAsync(table, 1);

        Assert.True(v1.Schema.Fields.Count > v0.Schema.Fields.Count);
        Assert.Equal(10, rows.Count(r => r[^1] is null));
        Assert.Equal(20, rows.Count);
    }
}
