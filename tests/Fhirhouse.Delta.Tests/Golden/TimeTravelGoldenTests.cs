using Fhirhouse.Storage.Local;
using Fhirhouse.Testing;

namespace Fhirhouse.Delta.Tests.Golden;

/// <summary>
/// Spark's time-travel golden tables read at each of their versions. Each older version of a table is, commit for
/// commit, a kernel-golden table of its own (the same log up to that version), whose <c>expected/</c> holds Spark's rows.
/// </summary>
public sealed class TimeTravelGoldenTests
{
    /// <summary>Spark-golden table, version, and the kernel-golden case that is that table at that version.</summary>
    public static TheoryData<string, long, string> Versions => new()
    {
        { "time-travel-start-start20-start40", 0, "time-travel-start" },
        { "time-travel-start-start20-start40", 1, "time-travel-start-start20" },
        { "time-travel-start-start20-start40", 2, "time-travel-start-start20-start40" },
        { "time-travel-schema-changes-b", 0, "time-travel-schema-changes-a" },
        { "time-travel-schema-changes-b", 1, "time-travel-schema-changes-b" },
        { "time-travel-partition-changes-b", 0, "time-travel-partition-changes-a" },
        { "time-travel-partition-changes-b", 1, "time-travel-partition-changes-b" },
    };

    [Theory]
    [MemberData(nameof(Versions))]
    public async Task Each_version_of_a_spark_table_has_exactly_the_rows_spark_wrote_by_then(string table, long version, string kernelCase)
    {
        var delta = await DeltaTable.OpenAsync(new LocalObjectStore(RepoPaths.TestData("delta", "spark-golden", table)), "");
        var snapshot = await delta.GetSnapshotAsync(version);

        Assert.Equal(version, snapshot.Version);
        await GoldenRows.AssertExpectedAsync(kernelCase, snapshot.Schema, await GoldenRows.ReadAsync(snapshot));
    }

    [Fact]
    public async Task Time_travel_across_a_schema_change_reads_new_columns_as_null_in_old_files()
    {
        var store = new LocalObjectStore(RepoPaths.TestData("delta", "spark-golden", "time-travel-schema-changes-b"));
        var table = await DeltaTable.OpenAsync(store, "");
        var v0 = await table.GetSnapshotAsync(0);
        var v1 = await table.GetSnapshotAsync(1);
        var rows = await TestTables.ReadAllAsync(table, 1);

        Assert.Equal(v0.Schema.Fields.Count + 1, v1.Schema.Fields.Count);
        Assert.Equal(10, rows.Count(r => r[^1] is null));
        Assert.Equal(20, rows.Count);
    }
}
