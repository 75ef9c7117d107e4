using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fhirhouse.Delta;
using Fhirhouse.Delta.Schema;
using Fhirhouse.Fhir.Views;
using Fhirhouse.Lake.Tables;
using Xunit.Abstractions;

namespace Fhirhouse.Views.Tests;

/// <summary>
/// Every case of the SQL-on-FHIR v2 suite through the path <c>fhirhouse views build</c> takes: the fixtures landed in
/// bronze, the view materialised by <see cref="ViewMaterializer"/> (<see cref="ViewColumnSink"/>, a column batch, a
/// Parquet data file, one Delta commit), and the view table read back from Delta. Each case must give exactly its
/// expected rows (any order), with no failure and no value nulled; an <c>expectError</c> case must be refused when the
/// view is compiled or fail on the data (counted in <see cref="ViewMaterialization.Failures"/>).
/// <para>
/// The normalisations the Delta column types force, the only ones (docs/views.md, "View tables"):
/// <list type="number">
/// <item>A decimal column is a double column followed by <c>NAME_text</c>, the value's exact text. The text, read as
/// a number, must equal the expected number (1.50 equals 1.5, as JSON numbers compare), and the double must be the
/// double nearest to that text.</item>
/// <item>An integer column is a long column, a boolean column a boolean column; every other type (string, code, id,
/// uri, date, dateTime, instant, time) a string column holding the value as written: FHIR dates keep their precision
/// (2002 is not 2002-01-01). The expected values of those columns are compared as they are.</item>
/// </list>
/// A case whose expected value cannot be held by its column as typed (a number expected in a string column, say) fails
/// here by name, saying so, rather than passing after a conversion. None does in the suite as shipped.
/// Resources without an id are landed with one (<see cref="SuiteLakes.FilesWithResourcesWithoutId"/>).
/// </para>
/// </summary>
public sealed class ViewTableConformanceTests(SuiteLakes lakes, ITestOutputHelper output) : IClassFixture<SuiteLakes>
{
    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var file in Directory.GetFiles(SuiteLakes.Folder, "*.json").Order(StringComparer.Ordinal))
        {
            foreach (var test in JsonNode.Parse(File.ReadAllBytes(file))!["tests"]!.AsArray())
            {
                cases.Add(Path.GetFileName(file), (string)test!["title"]!);
            }
        }

        return cases;
    }

    [Fact]
    public void The_suite_has_its_134_cases_in_22_files() =>
        Assert.Equal((134, 22), (Cases().Count(), Cases().Select(c => (string)c[0]).Distinct(StringComparer.Ordinal).Count()));

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Suite_case_gives_exactly_its_expected_rows_through_a_view_table(string file, string title)
    {
        var (test, index) = Case(file, title);
        var expectError = test["expectError"]?.GetValue<bool>() == true;
        try
        {
            ViewDefinition.Parse(test["view"]!.ToJsonString());
        }
        catch (ViewDefinitionException e) when (expectError)
        {
            output.WriteLine($"refused when compiled, as `views build` refuses the view: {e.Message}");
            return;
        }

        // The table is named after the case (the suite's views are unnamed); the view is otherwise the suite's.
        var json = test["view"]!.DeepClone().AsObject();
        json["name"] = $"case_{index}";
        var view = ViewDefinition.Parse(json.ToJsonString());
        var store = await lakes.LakeAsync(file);
        var materializer = await ViewMaterializer.OpenAsync(store);

        var result = (await materializer.BuildAsync([view])).Single();

        if (expectError)
        {
            Assert.True(result.Failures > 0, $"expected an error, got {result.RowsWritten} rows and no failure");
            output.WriteLine($"failed on the data, {result.Failures} resources counted: {result.FirstFailure}");
            return;
        }

        Assert.True(result.Failures == 0, result.FirstFailure);
        Assert.Empty(result.NulledColumns);
        var snapshot = await (await DeltaTable.OpenAsync(store, ViewTables.PathOf(ViewMaterializer.NameOf(view)))).GetSnapshotAsync();
        Assert.Equal(ExpectedSchema(view), snapshot.Schema.Fields.Select(f => f.Name));
        if (test["expectColumns"] is JsonArray expectColumns)
        {
            Assert.Equal(expectColumns.Select(c => (string)c!), view.Columns.Select(c => c.Name));
        }

        if (test["expect"] is not JsonArray expect)
        {
            return;
        }

        var actual = new List<string>();
        await foreach (var row in snapshot.ReadRowsAsync())
        {
            Assert.Matches("^[A-Za-z]+/.+$", (string)row[^1]!);
            actual.Add(string.Join(", ", view.Columns.Select(c => c.Name + "=" + Stored(row, snapshot.Schema, c))));
        }

        var expected = expect.Select(r => string.Join(", ", view.Columns.Select(c => c.Name + "=" + Expected(r!.AsObject(), c)))).ToList();
        Assert.Equal(expected.Order(StringComparer.Ordinal), actual.Order(StringComparer.Ordinal));
        if (view.Columns.Any(c => c.Type == ViewColumnType.Decimal))
        {
            output.WriteLine("normalised: decimal columns compared by their exact text as numbers, their doubles as the nearest double");
        }
    }

    private static (JsonObject Test, int Index) Case(string file, string title)
    {
        var tests = JsonNode.Parse(File.ReadAllBytes(Path.Combine(SuiteLakes.Folder, file)))!["tests"]!.AsArray();
        for (var i = 0; i < tests.Count; i++)
        {
            if ((string)tests[i]!["title"]! == title)
            {
                return (tests[i]!.AsObject(), i);
            }
        }

        throw new InvalidOperationException($"{file} has no case '{title}'");
    }

    /// <summary>The view table's columns: the view's, each decimal followed by its exact text, then the resource key.</summary>
    private static List<string> ExpectedSchema(ViewDefinition view)
    {
        var names = new List<string>();
        foreach (var column in view.Columns)
        {
            names.Add(column.Name);
            if (column.Type == ViewColumnType.Decimal)
            {
                names.Add(column.Name + "_text");
            }
        }

        names.Add(DerivedTable.ResourceKeyColumn);
        return names;
    }

    /// <summary>A value read back from the view table, written as <see cref="Expected"/> writes the suite's.</summary>
    private static string Stored(object?[] row, StructType schema, ViewColumn column)
    {
        var at = schema.IndexOf(column.Name);
        var value = row[at];
        if (column.Type != ViewColumnType.Decimal)
        {
            return value is object?[] items ? "[" + string.Join(",", items.Select(Scalar)) + "]" : Scalar(value);
        }

        var text = row[at + 1];
        if (value is object?[] doubles)
        {
            var texts = Assert.IsType<object?[]>(text);
            Assert.Equal(doubles.Length, texts.Length);
            return "[" + string.Join(",", doubles.Select((d, i) => Decimal(d, texts[i]))) + "]";
        }

        return Decimal(value, text);
    }

    /// <summary>A decimal: its exact text as a number, once checked that its double is the double nearest that text.</summary>
    private static string Decimal(object? value, object? text)
    {
        if (text is null)
        {
            Assert.Null(value);
            return "null";
        }

        Assert.Equal(double.Parse((string)text, NumberStyles.Float, CultureInfo.InvariantCulture), Assert.IsType<double>(value));
        return Number((string)text);
    }

    private static string Scalar(object? value) => value switch
    {
        null => "null",
        string text => "\"" + text + "\"",
        long number => Number(number.ToString(CultureInfo.InvariantCulture)),
        bool boolean => boolean ? "true" : "false",
        _ => $"<{value.GetType().Name} {value}: not a type of a view column>",
    };

    /// <summary>An expected value of the suite, as the column's Delta type holds it; a value it cannot hold is named.</summary>
    private static string Expected(JsonObject row, ViewColumn column)
    {
        if (!row.TryGetPropertyValue(column.Name, out var value))
        {
            return "<missing from the expected row>";
        }

        if (column.Collection && value is JsonArray items)
        {
            return "[" + string.Join(",", items.Select(i => ExpectedScalar(i, column))) + "]";
        }

        return ExpectedScalar(value, column);
    }

    private static string ExpectedScalar(JsonNode? value, ViewColumn column)
    {
        if (value is null)
        {
            return "null";
        }

        var kind = value.GetValueKind();
        return (column.Type, kind) switch
        {
            (ViewColumnType.Integer or ViewColumnType.Decimal, JsonValueKind.Number) => Number(value.ToJsonString()),
            (ViewColumnType.Boolean, JsonValueKind.True or JsonValueKind.False) => value.ToJsonString(),
            (ViewColumnType.String or ViewColumnType.Date or ViewColumnType.DateTime or ViewColumnType.Time, JsonValueKind.String) => "\"" + (string)value! + "\"",
            _ => $"<not representable as typed: {kind} {value.ToJsonString()} in a {column.Type} column>",
        };
    }

    /// <summary>A number by its value (1.50 and 1.5 alike).</summary>
    private static string Number(string text) =>
        (decimal.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture) / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);
}
