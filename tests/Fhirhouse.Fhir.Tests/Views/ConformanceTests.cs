using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fhirhouse.Fhir.Views;
using Fhirhouse.Testing;
using Xunit.Abstractions;

namespace Fhirhouse.Fhir.Tests.Views;

/// <summary>Runs every case of the SQL-on-FHIR v2 test suite and writes test_report.json in the suite's report format.</summary>
public sealed class ConformanceTests(ITestOutputHelper output)
{
    [Fact]
    public void Every_case_of_the_sql_on_fhir_v2_suite_passes()
    {
        var folder = RepoPaths.TestData("sql-on-fhir-v2");
        var report = new JsonObject();
        var failures = new List<string>();
        int total = 0, passedTotal = 0;
        foreach (var file in Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            using var suite = JsonDocument.Parse(File.ReadAllBytes(file));
            var resources = suite.RootElement.GetProperty("resources").EnumerateArray().ToList();
            var tests = new JsonArray();
            int passed = 0, count = 0;
            foreach (var test in suite.RootElement.GetProperty("tests").EnumerateArray())
            {
                var title = test.GetProperty("title").GetString()!;
                var error = RunCase(test, resources);
                var result = new JsonObject { ["passed"] = error is null };
                if (error is not null)
                {
                    result["error"] = error;
                    failures.Add($"{Path.GetFileName(file)} / {title}: {error}");
                }
                else
                {
                    passed++;
                }

                tests.Add(new JsonObject { ["name"] = title, ["result"] = result });
                count++;
            }

            report[Path.GetFileName(file)] = new JsonObject { ["tests"] = tests };
            output.WriteLine($"{Path.GetFileName(file),-24} {passed,3} passed {count - passed,3} failed");
            total += count;
            passedTotal += passed;
        }

        output.WriteLine($"{"total",-24} {passedTotal,3} passed {total - passedTotal,3} failed");
        var reportPath = Path.Combine(AppContext.BaseDirectory, "test_report.json");
        File.WriteAllText(reportPath, report.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        output.WriteLine("report: " + reportPath);
        foreach (var failure in failures)
        {
            output.WriteLine("FAILED " + failure);
        }

        using var written = JsonDocument.Parse(File.ReadAllBytes(reportPath));
        Assert.Equal(22, written.RootElement.EnumerateObject().Count());
        Assert.Equal(total, written.RootElement.EnumerateObject().Sum(f => f.Value.GetProperty("tests").GetArrayLength()));
        Assert.All(written.RootElement.GetProperty("basic.json").GetProperty("tests").EnumerateArray(), t =>
        {
            Assert.False(string.IsNullOrEmpty(t.GetProperty("name").GetString()));
            Assert.Equal(JsonValueKind.True, t.GetProperty("result").GetProperty("passed").ValueKind);
        });
        Assert.Equal(134, total);
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    /// <summary>Null when the case passes, else what went wrong.</summary>
    private static string? RunCase(JsonElement test, List<JsonElement> resources)
    {
        var expectError = test.TryGetProperty("expectError", out var e) && e.ValueKind == JsonValueKind.True;
        ViewDefinition view;
        var rows = new List<Dictionary<string, string>>();
        try
        {
            view = ViewDefinition.Parse(test.GetProperty("view"));
            var evaluator = view.CreateEvaluator();
            var sink = new CanonicalRows(view.Columns, rows);
            foreach (var resource in resources)
            {
                evaluator.Evaluate(resource, sink);
            }
        }
        catch (ViewDefinitionException ex)
        {
            return expectError ? null : "unexpected error: " + ex.Message;
        }

        if (expectError)
        {
            return "expected an error, got " + rows.Count + " rows";
        }

        if (test.TryGetProperty("expectColumns", out var expectColumns))
        {
            var expected = expectColumns.EnumerateArray().Select(c => c.GetString()!).ToList();
            var actual = view.Columns.Select(c => c.Name).ToList();
            if (!expected.SequenceEqual(actual))
            {
                return $"columns [{string.Join(", ", actual)}], expected [{string.Join(", ", expected)}]";
            }
        }

        if (test.TryGetProperty("expect", out var expect))
        {
            var expectedRows = expect.EnumerateArray().Select(row => Canonical(row, view.Columns)).Order(StringComparer.Ordinal).ToList();
            var actualRows = rows.Select(row => string.Join(", ", view.Columns.Select(c => c.Name + "=" + row[c.Name]))).Order(StringComparer.Ordinal).ToList();
            if (!expectedRows.SequenceEqual(actualRows))
            {
                return $"rows{Environment.NewLine}  got      [{string.Join(" | ", actualRows)}]{Environment.NewLine}  expected [{string.Join(" | ", expectedRows)}]";
            }
        }

        return null;
    }

    private static string Canonical(JsonElement row, IReadOnlyList<ViewColumn> columns)
    {
        var names = row.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var parts = columns.Select(c => c.Name + "=" + (row.TryGetProperty(c.Name, out var v) ? Canonical(v) : "<missing>")).ToList();
        parts.AddRange(names.Where(n => columns.All(c => c.Name != n)).Select(n => n + "=<unknown column>"));
        return string.Join(", ", parts);
    }

    internal static string Canonical(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => (decimal.Parse(value.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture) / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture),
        JsonValueKind.Array => "[" + string.Join(",", value.EnumerateArray().Select(Canonical)) + "]",
        JsonValueKind.String => "\"" + value.GetString() + "\"",
        _ => value.GetRawText(),
    };

    private sealed class CanonicalRows(IReadOnlyList<ViewColumn> columns, List<Dictionary<string, string>> rows) : IViewRowSink
    {
        public void OnRow(ReadOnlySpan<ColumnValue> row)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < row.Length; i++)
            {
                using var buffer = new MemoryStream();
                using (var writer = new Utf8JsonWriter(buffer))
                {
                    row[i].WriteTo(writer);
                }

                using var json = JsonDocument.Parse(buffer.ToArray());
                values[columns[i].Name] = Canonical(json.RootElement);
            }

            rows.Add(values);
        }
    }
}
