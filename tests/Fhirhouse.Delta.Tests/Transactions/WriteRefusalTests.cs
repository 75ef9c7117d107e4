using Fhirhouse.Storage.Local;
using Fhirhouse.Testing;

namespace Fhirhouse.Delta.Tests.Transactions;

public sealed class WriteRefusalTests
{
    private static void Copy(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    [Fact]
    public async Task Writing_to_a_table_with_deletion_vectors_is_refused_by_name_and_writes_nothing()
    {
        using var temp = new TempFolder();
        Copy(RepoPaths.TestData("delta", "kernel-golden", "dv-partitioned-with-checkpoint", "delta"), Path.Combine(temp.Path, "dv"));
        var table = await DeltaTable.OpenAsync(new LocalObjectStore(temp.Path), "dv");
        var before = Directory.GetFiles(temp.Path, "*", SearchOption.AllDirectories).Length;

        var e = await Assert.ThrowsAsync<UnsupportedTableFeatureException>(() => table.AppendAsync([[1, 2, "x"]]));
        Assert.Contains("readerVersion 3", e.Feature, StringComparison.Ordinal);
        await Assert.ThrowsAsync<UnsupportedTableFeatureException>(() => table.VacuumAsync(TimeSpan.Zero, force: true));
        await Assert.ThrowsAsync<UnsupportedTableFeatureException>(() => table.DeleteAsync(_ => true));
        Assert.Equal(before, Directory.GetFiles(temp.Path, "*", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public async Task An_append_only_table_accepts_appends_and_refuses_deletes_and_overwrites()
    {
        using var temp = new TempFolder();
        var table = await DeltaTable.CreateAsync(new LocalObjectStore(temp.Path), "t", TestTables.People,
            configuration: new Dictionary<string, string> { ["delta.appendOnly"] = "true" });
        await table.AppendAsync([TestTables.Person(1)]);

        var delete = await Assert.ThrowsAsync<InvalidOperationException>(() => table.DeleteAsync(_ => true));
        Assert.Contains("delta.appendOnly", delete.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InvalidOperationException>(() => table.OverwriteAsync([TestTables.Person(2)]));
        Assert.Single(await TestTables.ReadAllAsync(table));
    }

    [Fact]
    public async Task A_column_invariant_is_refused_by_name_since_its_expression_cannot_be_checked()
    {
        using var temp = new TempFolder();
        var schema = new Schema.StructType(new Schema.StructField("x", Schema.PrimitiveType.Integer, true,
            new Dictionary<string, string> { ["delta.invariants"] = "\"{\\\"expression\\\":{\\\"expression\\\":\\\"x > 3\\\"}}\"" }));
        var table = await DeltaTable.CreateAsync(new LocalObjectStore(temp.Path), "t", schema);

        var e = await Assert.ThrowsAsync<UnsupportedTableFeatureException>(() => table.AppendAsync([[1]]));
        Assert.Equal("delta.invariants", e.Feature);
    }
}
