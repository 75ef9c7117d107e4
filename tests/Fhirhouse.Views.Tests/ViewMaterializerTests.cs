using Fhirhouse.Delta;
using Fhirhouse.Fhir.Views;
using Fhirhouse.Ingest.Files;
using Fhirhouse.Lake.Landing;
using Fhirhouse.Views;
using Fhirhouse.Storage;
using Fhirhouse.Storage.Local;
using Fhirhouse.Testing;

namespace Fhirhouse.Views.Tests;

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
        Assert.Equal([new("born_as_integer", 1), new("families_as_integers", 3)], result.NulledColumns);
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
                "p1 | 2:Int64 | null | 61.5:Double | 61.50 | 2 | True | [Jane, Ann, Bo] | [null, null] | 555 | Patient/p1",
                "p3 | 1:Int64 | null | null | null | null | null | [] | [null] | café \"x\" | Patient/p3",
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
        Assert.Equal([new("births", 1), new("weight", 2)], built.NulledColumns);
        var table = await DeltaTable.OpenAsync(store, ViewTables.PathOf("numbers"));
        var rows = new List<string>();
        await foreach (var row in (await table.GetSnapshotAsync()).ReadRowsAsync())
        {
            rows.Add(string.Join(" | ", row.Take(4).Select(v => v?.ToString() ?? "null")));
        }

        // The double overflows, the decimal's text stays as written.
        Assert.Equal(["p1 | null | null | 1e999", "p2 | 2 | null | -1e999"], rows.Order(StringComparer.Ordinal));

        await IngestAsync(store, "b.ndjson", """{"resourceType":"Patient","id":"p2","meta":{"lastUpdated":"2030-01-01T00:00:00Z"},"multipleBirthInteger":-1e400}""" + "\n");
        var refreshed = (await materializer.RefreshAsync([view])).Single();
        Assert.Equal((ViewMaterializationKind.Refreshed, 1L, 1L), (refreshed.Kind, refreshed.RowsWritten, refreshed.ValuesNulled));
        Assert.Equal([new("births", 1)], refreshed.NulledColumns);
    }

    [Fact]
    public async Task Every_value_that_does_not_fit_its_column_is_stored_as_null_and_counted_for_its_column()
    {
        var store = new LocalObjectStore(Path.Combine(_folder.Path, "lake"));
        await IngestAsync(store, "a.ndjson",
            """{"resourceType":"Patient","id":"p1","gender":"female","active":true,"multipleBirthInteger":99999999999999999999,"name":[{"family":"Doe"},{"family":"Roe"}],"extension":[{"url":"http://x/n","valueDecimal":2.5},{"url":"http://x/huge","valueDecimal":1e999}]}""" + "\n"
            + """{"resourceType":"Patient","id":"p2","gender":"male","multipleBirthInteger":3,"extension":[{"url":"http://x/n","valueDecimal":4.0},{"url":"http://x/huge","valueDecimal":7}]}""" + "\n");
        var view = ViewDefinition.Parse("""
            {"resourceType":"ViewDefinition","name":"misfits","resource":"Patient","select":[{"column":[
              {"name":"id","path":"getResourceKey()","type":"id"},
              {"name":"integer_from_text","path":"gender","type":"integer"},
              {"name":"integer_from_fraction","path":"extension('http://x/n').value.ofType(decimal)","type":"integer"},
              {"name":"integer_overflowing","path":"multipleBirth.ofType(integer)","type":"integer"},
              {"name":"decimal_from_text","path":"gender","type":"decimal"},
              {"name":"decimal_from_boolean","path":"active","type":"decimal"},
              {"name":"decimal_overflowing","path":"extension('http://x/huge').value.ofType(decimal)","type":"decimal"},
              {"name":"boolean_from_text","path":"gender","type":"boolean"},
              {"name":"boolean_from_number","path":"multipleBirth.ofType(integer)","type":"boolean"},
              {"name":"integers_from_text","path":"name.family","type":"integer","collection":true},
              {"name":"gender","path":"gender","type":"string"}]}]}
            """);
        var materializer = await ViewMaterializer.OpenAsync(store);

        var built = (await materializer.BuildAsync([view])).Single();

        Assert.Equal((2L, 0L), (built.RowsWritten, built.Failures));
        Assert.Equal(
            [
                new("integer_from_text", 2), new("integer_from_fraction", 1), new("integer_overflowing", 1), new("decimal_from_text", 2),
                new("decimal_from_boolean", 1), new("decimal_overflowing", 1), new("boolean_from_text", 2), new("boolean_from_number", 2),
                new("integers_from_text", 2),
            ],
            built.NulledColumns);
        Assert.Equal(14, built.ValuesNulled);
        var rows = await ReadAsync(store, "misfits");
        Assert.Equal(
            [
                "p1 | null | null | null | null | null | null | null | null | 1e999 | null | null | [null, null] | female | Patient/p1",
                "p2 | null | 4 | 3 | null | null | null | null | 7 | 7 | null | null | [] | male | Patient/p2",
            ],
            rows);
    }

    [Fact]
    public async Task Decimals_keep_their_exact_text_beside_their_double_whatever_their_precision_and_scale()
    {
        var store = new LocalObjectStore(Path.Combine(_folder.Path, "lake"));
        string[] values = ["0.1000000000000000055511151231257827", "12345678901234567890.123", "1.50", "1e400", "-0.0", "3", "1.0E-7"];
        await IngestAsync(store, "o.ndjson", string.Concat(values.Select((v, i) =>
            $$$"""{"resourceType":"Observation","id":"o{{{i}}}","status":"final","code":{"text":"x"},"valueQuantity":{"value":{{{v}}}},"component":[{"valueQuantity":{"value":{{{v}}}}},{"valueQuantity":{"value":2.50}}]}""" + "\n")));
        var view = ViewDefinition.Parse("""
            {"resourceType":"ViewDefinition","name":"exact","resource":"Observation","select":[{"column":[
              {"name":"id","path":"getResourceKey()","type":"id"},
              {"name":"value","path":"value.ofType(Quantity).value","type":"decimal"},
              {"name":"components","path":"component.value.ofType(Quantity).value","type":"decimal","collection":true},
              {"name":"computed","path":"1.50 + 0.25","type":"decimal"}]}]}
            """);
        var materializer = await ViewMaterializer.OpenAsync(store);

        var built = (await materializer.BuildAsync([view])).Single();

        Assert.Equal(["id", "value", "value_text", "components", "components_text", "computed", "computed_text", "_resource_key"],
            (await (await DeltaTable.OpenAsync(store, ViewTables.PathOf("exact"))).GetSnapshotAsync()).Schema.Fields.Select(f => f.Name));
        // 1e400 overflows the double, in value and in components: counted, its text kept.
        Assert.Equal([new("value", 1), new("components", 1)], built.NulledColumns);
        Assert.Equal(
            [
                "o0 | 0.1 | 0.1000000000000000055511151231257827 | [0.1, 2.5] | [0.1000000000000000055511151231257827, 2.50] | 1.75 | 1.75 | Patient/o0",
                "o1 | 1.2345678901234567E+19 | 12345678901234567890.123 | [1.2345678901234567E+19, 2.5] | [12345678901234567890.123, 2.50] | 1.75 | 1.75 | Patient/o1",
                "o2 | 1.5 | 1.50 | [1.5, 2.5] | [1.50, 2.50] | 1.75 | 1.75 | Patient/o2",
                "o3 | null | 1e400 | [null, 2.5] | [1e400, 2.50] | 1.75 | 1.75 | Patient/o3",
                "o4 | -0 | -0.0 | [-0, 2.5] | [-0.0, 2.50] | 1.75 | 1.75 | Patient/o4",
                "o5 | 3 | 3 | [3, 2.5] | [3, 2.50] | 1.75 | 1.75 | Patient/o5",
                "o6 | 1E-07 | 1.0E-7 | [1E-07, 2.5] | [1.0E-7, 2.50] | 1.75 | 1.75 | Patient/o6",
            ],
            (await ReadAsync(store, "exact")).Select(r => r.Replace("Observation/", "Patient/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_decimal_column_whose_exact_text_column_would_take_the_name_of_another_column_is_refused_naming_both()
    {
        var store = new LocalObjectStore(Path.Combine(_folder.Path, "lake"));
        var view = ViewDefinition.Parse("""
            {"resourceType":"ViewDefinition","name":"clash","resource":"Observation","select":[{"column":[
              {"name":"value","path":"value.ofType(Quantity).value","type":"decimal"},
              {"name":"value_text","path":"value.ofType(string)","type":"string"}]}]}
            """);
        var materializer = await ViewMaterializer.OpenAsync(store);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => materializer.BuildAsync([view]));

        Assert.Contains("'value'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'value_text'", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The rows of a view table, values joined by " | " (invariant culture), in id order.</summary>
    private static async Task<List<string>> ReadAsync(IObjectStore store, string view)
    {
        var table = await DeltaTable.OpenAsync(store, ViewTables.PathOf(view));
        var rows = new List<string>();
        await foreach (var row in (await table.GetSnapshotAsync()).ReadRowsAsync())
        {
            rows.Add(string.Join(" | ", row.Select(Text)));
        }

        return [.. rows.Order(StringComparer.Ordinal)];

        static string Text(object? value) => value switch
        {
            null => "null",
            object?[] items => "[" + string.Join(", ", items.Select(Text)) + "]",
            IFormattable number => number.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
            _ => value.ToString()!,
        };
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
