using Fhirhouse.Delta;
using Fhirhouse.Fhir.Views;
using Fhirhouse.Ingest.Files;
using Fhirhouse.Lake.Landing;
using Fhirhouse.Views;
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
    public async Task Column_types_collections_and_failing_resources_land_in_the_view_table_as_the_evaluator_gives_them()
    {
        var store = new LocalObjectStore(Path.Combine(_folder.Path, "lake"));
        await IngestAsync(store, "p.ndjson",
            """{"resourceType":"Patient","id":"p1","active":true,"birthDate":"1980-02-03","multipleBirthInteger":2,"name":[{"family":"Doe","given":["Jane","Ann"]},{"family":"Roe","given":["Bo"]}],"telecom":[{"value":"555"}],"extension":[{"url":"http://x/weight","valueDecimal":61.50}]}""" + "\n"
            + """{"resourceType":"Patient","id":"p2","name":[{"family":"A","given":["x"]},{"family":"B","given":["y","z"]}],"telecom":[{"value":"1"},{"value":"2"}]}""" + "\n"
            + """{"resourceType":"Patient","id":"p3","name":[{"family":"Zed"}],"telecom":[{"value":"caf\u00e9 \"x\""}]}""" + "\n");
        var view = ViewDefinition.Parse("""
            {"resourceType":"ViewDefinition","name":"typed","resource":"Patient","select":[{"column":[
              {"name":"id","path":"getResourceKey()","type":"id"},
              {"name":"names","path":"name.count()","type":"integer"},
              {"name":"born_as_integer","path":"birthDate","type":"integer"},
              {"name":"weight","path":"extension('http://x/weight').value.ofType(decimal)","type":"decimal"},
              {"name":"twins_as_text","path":"multipleBirth.ofType(integer)","type":"string"},
              {"name":"active","path":"active","type":"boolean"},
              {"name":"given","path":"name.given","type":"string","collection":true},
              {"name":"families_as_integers","path":"name.family","type":"integer","collection":true},
              {"name":"phone","path":"telecom.value","type":"string"}]}]}
            """);
        // p2's first name gives a row before its second fails: that row must not land either.
        var byName = ViewDefinition.Parse("""
            {"resourceType":"ViewDefinition","name":"by_name","resource":"Patient","select":[{"forEach":"name","column":[
              {"name":"family","path":"family"},{"name":"given","path":"given"}]}]}
            """);
        var materializer = await ViewMaterializer.OpenAsync(store);

        var reports = new System.Collections.Concurrent.ConcurrentQueue<ViewBuildProgress>();
        var results = await materializer.BuildAsync([view, byName], new Progress(reports.Enqueue));
        var result = results[0];
        Assert.Equal(new ViewBuildProgress(0, 3), reports.First());
        Assert.Equal(3, reports.Max(r => r.Evaluated));
        Assert.All(reports, r => Assert.Equal(3, r.Total));

        Assert.Equal(3, result.Resources);
        Assert.Equal(2, result.RowsWritten);
        Assert.Equal(1, result.Failures);
        Assert.StartsWith("Patient/p2: ", result.FirstFailure, StringComparison.Ordinal);
        var table = await DeltaTable.OpenAsync(store, ViewTables.PathOf("typed"));
        var rows = new List<string>();
        await foreach (var row in (await table.GetSnapshotAsync()).ReadRowsAsync())
        {
            rows.Add(string.Join(" | ", row.Select(Text)));
        }

        Assert.Equal(2, results[1].Failures);
        Assert.Equal(1, results[1].RowsWritten);
        var byNameRows = new List<string>();
        await foreach (var row in (await (await DeltaTable.OpenAsync(store, ViewTables.PathOf("by_name"))).GetSnapshotAsync()).ReadRowsAsync())
        {
            byNameRows.Add(string.Join(" | ", row.Select(Text)));
        }

        Assert.Equal(["Zed | null | Patient/p3"], byNameRows);
        Assert.Equal(
            [
                "p1 | 2:Int64 | null | 61.5:Double | 2 | True | [Jane, Ann, Bo] | [null, null] | 555 | Patient/p1",
                "p3 | 1:Int64 | null | null | null | null | [] | [null] | café \"x\" | Patient/p3",
            ],
            rows.Order(StringComparer.Ordinal));

        static string Text(object? value) => value switch
        {
            null => "null",
            object?[] items => "[" + string.Join(", ", items.Select(Text)) + "]",
            string text => text,
            IFormattable number => number.ToString(null, System.Globalization.CultureInfo.InvariantCulture) + ":" + number.GetType().Name,
            _ => value.ToString()!,
        };
    }

    [Fact]
    public async Task Numbers_that_overflow_their_column_are_stored_as_null_and_counted_by_build_and_refresh_and_their_rows_kept()
    {
        var store = new LocalObjectStore(Path.Combine(_folder.Path, "lake"));
        await IngestAsync(store, "a.ndjson",
            """{"resourceType":"Patient","id":"p1","multipleBirthInteger":99999999999999999999,"extension":[{"url":"http://x/weight","valueDecimal":1e999}]}""" + "\n"
            + """{"resourceType":"Patient","id":"p2","multipleBirthInteger":2,"extension":[{"url":"http://x/weight","valueDecimal":-1e999}]}""" + "\n"
            // p3's first name gives a row with a nulled value, its second fails the view: neither that row nor its count stays.
            + """{"resourceType":"Patient","id":"p3","multipleBirthInteger":1e30,"name":[{"given":["x"]},{"given":["y","z"]}]}""" + "\n");
        var view = ViewDefinition.Parse("""
            {"resourceType":"ViewDefinition","name":"numbers","resource":"Patient","select":[{"column":[
              {"name":"id","path":"getResourceKey()","type":"id"},
              {"name":"births","path":"multipleBirth.ofType(integer)","type":"integer"},
              {"name":"weight","path":"extension('http://x/weight').value.ofType(decimal)","type":"decimal"}]},
              {"forEachOrNull":"name","column":[{"name":"given","path":"given","type":"string"}]}]}
            """);
        var materializer = await ViewMaterializer.OpenAsync(store);

        var built = (await materializer.BuildAsync([view])).Single();

        Assert.Equal((2L, 1L, 3L), (built.RowsWritten, built.Failures, built.ValuesNulled));
        var table = await DeltaTable.OpenAsync(store, ViewTables.PathOf("numbers"));
        var rows = new List<string>();
        await foreach (var row in (await table.GetSnapshotAsync()).ReadRowsAsync())
        {
            rows.Add(string.Join(" | ", row.Take(3).Select(v => v?.ToString() ?? "null")));
        }

        Assert.Equal(["p1 | null | null", "p2 | 2 | null"], rows.Order(StringComparer.Ordinal));

        await IngestAsync(store, "b.ndjson", """{"resourceType":"Patient","id":"p2","meta":{"lastUpdated":"2030-01-01T00:00:00Z"},"multipleBirthInteger":-1e400}""" + "\n");
        var refreshed = (await materializer.RefreshAsync([view])).Single();
        Assert.Equal((ViewMaterializationKind.Refreshed, 1L, 1L), (refreshed.Kind, refreshed.RowsWritten, refreshed.ValuesNulled));
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
    public async Task A_refresh_is_one_commit_and_a_reader_polling_during_it_never_sees_a_resource_missing()
    {
        var store = new LocalObjectStore(Path.Combine(_folder.Path, "lake"));
        const int patients = 120;
        await IngestAsync(store, "a.ndjson", string.Concat(Enumerable.Range(0, patients).Select(i => Patient($"p{i:D3}", "female", 1))));
        var materializer = await ViewMaterializer.OpenAsync(store);
        var views = new[] { DefaultViews.Get("patient") };
        await materializer.BuildAsync(views);
        await IngestAsync(store, "b.ndjson", string.Concat(Enumerable.Range(0, patients).Where(i => i % 2 == 0).Select(i => Patient($"p{i:D3}", "male", 2))));
        var table = await DeltaTable.OpenAsync(store, ViewTables.PathOf("patient"));
        var before = (await table.GetSnapshotAsync()).Version;

        using var stop = new CancellationTokenSource();
        var seen = new List<(long Version, int Rows, int Keys)>();
        var polling = new TaskCompletionSource();
        var poller = Task.Run(async () =>
        {
            do
            {
                var reader = await DeltaTable.OpenAsync(store, ViewTables.PathOf("patient"));
                seen.Add(await KeysAsync(await reader.GetSnapshotAsync()));
                polling.TrySetResult();
            }
            while (!stop.IsCancellationRequested);
        });
        await polling.Task;
        var result = (await materializer.RefreshAsync(views)).Single();
        await stop.CancelAsync();
        await poller;

        Assert.Equal(ViewMaterializationKind.Refreshed, result.Kind);
        Assert.Equal(patients / 2, result.ResourcesReplaced);
        var after = (await table.GetSnapshotAsync()).Version;
        Assert.Equal(before + 1, after);
        for (var version = before; version <= after; version++)
        {
            Assert.Equal((version, patients, patients), await KeysAsync(await table.GetSnapshotAsync(version)));
        }

        Assert.NotEmpty(seen);
        Assert.All(seen, s => Assert.Equal((patients, patients), (s.Rows, s.Keys)));
        Assert.Equal(patients / 2, (await RowsAsync(store)).Count(r => r.Gender == "male"));

        static async Task<(long, int, int)> KeysAsync(Snapshot snapshot)
        {
            var keys = new List<string>();
            await foreach (var row in snapshot.ReadRowsAsync())
            {
                keys.Add((string)row[^1]!);
            }

            return (snapshot.Version, keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
        }
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

    /// <summary>Reports on the calling thread (the build reports from its workers).</summary>
    private sealed class Progress(Action<ViewBuildProgress> report) : IProgress<ViewBuildProgress>
    {
        public void Report(ViewBuildProgress value) => report(value);
    }
}
