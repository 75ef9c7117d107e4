using Fhirhouse.Delta.Schema;
using Fhirhouse.Governance.Erasure;
using Fhirhouse.Lake;
using Fhirhouse.Lake.Tables;
using Fhirhouse.Query;

namespace Fhirhouse.Governance.Tests.LakeTables;

/// <summary>
/// What a room that adds a table writes: one definition. Writing, SQL, the policies' names and erasure come from the
/// lake without another line (the measure asked of the lake core's second pass).
/// </summary>
public sealed class NewLakeTableTests
{
    /// <summary>The whole declaration of a table a new room (here an NLP stage) adds to the lake.</summary>
    private static readonly LakeTableDefinition s_mentions = new(
        "gold.nlp_mentions",
        LakeLayout.Gold + "nlp_mentions",
        new StructType(
        [
            new StructField("patient_id", PrimitiveType.String, Nullable: false),
            new StructField("concept", PrimitiveType.String, Nullable: false),
            new StructField("assertion", PrimitiveType.String, Nullable: false),
        ]),
        ["assertion"]);

    [Fact]
    public async Task A_table_declared_once_is_written_queried_and_erased_with_nothing_else_added()
    {
        using var lake = await GovernanceLake.BuildAsync(patients: 6, seed: 5);
        var patients = lake.Patients.Keys.Order(StringComparer.Ordinal).ToList();
        var table = await s_mentions.OpenOrCreateAsync(lake.Store, new Delta.DeltaTableOptions());
        await table.AppendAsync(patients.SelectMany(p => new[]
        {
            new object?[] { p, "44054006", "present" },
            new object?[] { p, "29857009", "absent" },
        }));

        using (var engine = new QueryEngine(lake.Store))
        {
            var counts = await engine.ExecuteAsync("SELECT assertion, count(*) AS n FROM nlp_mentions GROUP BY assertion ORDER BY assertion");
            Assert.Equal([("absent", 6L), ("present", 6L)], counts.Rows.Select(r => ((string)r[0]!, Convert.ToInt64(r[1], System.Globalization.CultureInfo.InvariantCulture))).ToList());
        }

        var erased = patients[2];
        var report = await (await PatientErasure.OpenAsync(lake.Store, lake.Keys)).EraseAsync(erased, new ErasureOptions { Operator = "dpo", Audit = new RecordingErasureAudit() });

        Assert.Contains(report.Tables, t => t.Path == s_mentions.Path && t.RowsDeleted == 2);
        var left = new List<string>();
        await foreach (var row in (await table.GetSnapshotAsync()).ReadRowsAsync())
        {
            left.Add((string)row[0]!);
        }

        Assert.Equal(10, left.Count);
        Assert.DoesNotContain(erased, left);
        Assert.Equal(("gold", "nlp_mentions"), (s_mentions.Zone, s_mentions.ShortName));
    }

    [Theory]
    [InlineData("nlp_mentions", "tables/gold/x")]
    [InlineData("gold.nlp.mentions", "tables/gold/x")]
    [InlineData("gold.x", "gold/x")]
    [InlineData("gold.x", "tables/gold/x/")]
    public void A_table_definition_without_a_zone_or_outside_the_tables_folder_is_refused(string name, string path) =>
        Assert.Throws<ArgumentException>(() => new LakeTableDefinition(name, path, s_mentions.Schema));

    [Fact]
    public void A_partition_column_missing_from_the_schema_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new LakeTableDefinition("gold.x", "tables/gold/x", s_mentions.Schema, ["day"]));
        Assert.Contains("'day'", error.Message, StringComparison.Ordinal);
    }
}
