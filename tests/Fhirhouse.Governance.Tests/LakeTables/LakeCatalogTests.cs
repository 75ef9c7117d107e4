using Fhirhouse.Delta;
using Fhirhouse.Delta.Schema;
using Fhirhouse.Governance.Audit;
using Fhirhouse.Lake.Bronze;
using Fhirhouse.Lake.Tables;
using Fhirhouse.Storage.Local;
using Fhirhouse.Testing;

namespace Fhirhouse.Governance.Tests.LakeTables;

/// <summary>Every folder of the lake has exactly one name: declared, <c>views.*</c>, <c>gold.*</c>, or <c>lake.*</c>.</summary>
public sealed class LakeCatalogTests
{
    private static readonly StructType s_schema = new([new StructField("id", PrimitiveType.Long, Nullable: false)]);

    [Fact]
    public async Task Declared_tables_have_their_declared_name_and_every_other_folder_its_zone()
    {
        using var folder = new TempFolder();
        var store = new LocalObjectStore(folder.Path);
        await BronzeTable.Definition.OpenOrCreateAsync(store, new DeltaTableOptions());
        await AuditLog.Definition.OpenOrCreateAsync(store, new DeltaTableOptions());
        await DeltaTable.CreateAsync(store, "tables/views/patient", s_schema, []);
        await DeltaTable.CreateAsync(store, "tables/gold/patient", s_schema, []);
        await DeltaTable.CreateAsync(store, "tables/scratch", s_schema, []);
        var catalog = new LakeCatalog(store, [AuditLog.Definition]);

        var names = (await catalog.ListAsync(CancellationToken.None)).Select(t => (t.Name, t.Path)).ToList();

        Assert.Equal(
            [("bronze.fhir_resources", "tables/fhir_resources"), ("gold.patient", "tables/gold/patient"), ("governance.audit_log", "tables/audit_log"), ("lake.scratch", "tables/scratch"), ("views.patient", "tables/views/patient")],
            names);
        Assert.Single(await catalog.FindAsync(null, "fhir_resources", CancellationToken.None));
        Assert.Empty(await catalog.FindAsync("lake", "fhir_resources", CancellationToken.None));
        Assert.Equal(2, (await catalog.FindAsync(null, "patient", CancellationToken.None)).Count);
        Assert.Equal("tables/gold/patient", Assert.Single(await catalog.FindAsync("GOLD", "patient", CancellationToken.None)).Path);
    }

    [Theory]
    [InlineData("main.x", "tables/x")]
    [InlineData("views.x", "tables/x")]
    [InlineData("lake.x", "tables/x")]
    [InlineData("bronze.fhir_resources", "tables/other")]
    [InlineData("gov.y", "tables/fhir_resources")]
    [InlineData("gold.x", "tables/x")]
    [InlineData("gold.x", "tables/gold/y")]
    public void A_declared_table_that_would_share_a_name_or_folder_or_use_a_reserved_zone_is_refused(string name, string path)
    {
        using var folder = new TempFolder();
        Assert.Throws<ArgumentException>(() => new LakeCatalog(new LocalObjectStore(folder.Path), [new LakeTableDefinition(name, path, s_schema)]));
    }

    [Fact]
    public async Task A_declared_gold_table_has_its_one_name_and_is_found_once()
    {
        using var folder = new TempFolder();
        var store = new LocalObjectStore(folder.Path);
        var definition = new LakeTableDefinition("gold.notes", "tables/gold/notes", s_schema);
        await definition.OpenOrCreateAsync(store, new DeltaTableOptions());
        var catalog = new LakeCatalog(store, [definition]);
        var found = Assert.Single(await catalog.FindAsync(null, "notes", CancellationToken.None));
        Assert.Equal(("gold", "notes", "tables/gold/notes"), (found.Zone, found.ShortName, found.Path));
        Assert.Single(await catalog.ListAsync(CancellationToken.None), t => t.Name == "gold.notes");
    }
}
