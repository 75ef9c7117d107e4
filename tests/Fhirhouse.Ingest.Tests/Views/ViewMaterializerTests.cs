using Fhirhouse.Delta;
using Fhirhouse.Fhir.Views;
using Fhirhouse.Ingest.Files;
using Fhirhouse.Ingest.Pipeline;
using Fhirhouse.Ingest.Views;
using Fhirhouse.Storage;
using Fhirhouse.Storage.Local;
using Fhirhouse.Testing;

namespace Fhirhouse.Ingest.Tests.Views;

public sealed class ViewMaterializerTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private async Task IngestAsync(IObjectStore store, string name, string ndjson)
    {
        var path = Path.Combine(_folder.Path, name);
        await File.WriteAllTextAsync(path, ndjson);
        var ingestor = await PayloadIngestor.OpenAsync(store, new IngestOptions());
        await new FileIngestor(ingestor).IngestAsync(FileIngestor.Resolve([path]));
    }

    private static string Patient(string id, string gender, int version) =>
        $$"""{"resourceType":"Patient","id":"{{id}}","meta":{"versionId":"{{version}}","lastUpdated":"202{{version}}-01-01T00:00:00Z"},"gender":"{{gender}}"}""" + "\n";

    private static async Task<List<(string Id, string? Gender, string Key)>> RowsAsync(IObjectStore store)
    {
        var table = await DeltaTable.OpenAsync(store, ViewTables.PathOf("patient"));
        var snapshot = await table.GetSnapshotAsync();
        var index = snapshot.Schema.IndexOf("gender");
        var rows = new List<(string, string?, string)>();
        await foreach (var row in snapshot.ReadRowsAsync())
        {
            rows.Add(((string)row[0]!, (string?)row[index], (string)row[^1]!));
        }

        return [.. rows.OrderBy(r => r.Item1, StringComparer.Ordinal)];
    }

    [Fact]
    public async Task A_refresh_interrupted_after_its_delete_is_completed_by_the_next_refresh()
    {
        var store = new LocalObjectStore(Path.Combine(_folder.Path, "lake"));
        await IngestAsync(store, "a.ndjson", Patient("a", "female", 1) + Patient("b", "male", 1));
        var materializer = await ViewMaterializer.OpenAsync(store);
        var views = new[] { DefaultViews.Get("patient") };
        await materializer.BuildAsync(views);
        await IngestAsync(store, "b.ndjson", Patient("b", "other", 2));

        // The first half of a refresh (its DELETE) lands, the append carrying the bronze version does not.
        var table = await DeltaTable.OpenAsync(store, ViewTables.PathOf("patient"));
        await table.DeleteAsync(r => (string)r[^1]! == "Patient/b");
        Assert.Single(await RowsAsync(store));

        var result = (await materializer.RefreshAsync(views)).Single();

        Assert.Equal(ViewMaterializationKind.Refreshed, result.Kind);
        Assert.Equal([("a", "female", "Patient/a"), ("b", "other", "Patient/b")], await RowsAsync(store));
        Assert.Equal(ViewMaterializationKind.UpToDate, (await materializer.RefreshAsync(views)).Single().Kind);
    }

    [Fact]
    public async Task A_view_is_built_on_first_refresh_and_a_view_without_a_name_is_refused()
    {
        var store = new LocalObjectStore(Path.Combine(_folder.Path, "lake"));
        await IngestAsync(store, "a.ndjson", Patient("a", "female", 1));
        var materializer = await ViewMaterializer.OpenAsync(store);

        var first = (await materializer.RefreshAsync([DefaultViews.Get("patient")])).Single();

        Assert.Equal(ViewMaterializationKind.Built, first.Kind);
        Assert.Equal(1, first.RowsWritten);
        var unnamed = ViewDefinition.Parse("""{"resourceType":"ViewDefinition","resource":"Patient","select":[{"column":[{"name":"id","path":"id"}]}]}""");
        var error = Assert.Throws<ArgumentException>(() => ViewMaterializer.NameOf(unnamed));
        Assert.Contains("needs a name", error.Message, StringComparison.Ordinal);
    }
}
