using System.Text;
using System.Text.Json;
using Fhirhouse.Testing;

namespace Fhirhouse.Cli.Tests;

/// <summary>
/// Input that must not poison a table (issue 12, point 5), end to end: <c>ingest files</c> quarantines what bronze
/// cannot hold and goes on, bronze stays readable by <c>SELECT *</c>, and <c>views build</c> survives numbers that
/// overflow their columns.
/// </summary>
public sealed class HostileInputTests : IDisposable
{
    private const string Marker = "Qzvhostilefamily";
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Lake => Path.Combine(_folder.Path, "lake");

    private Task<(int Exit, string Out, string Error)> Run(params string[] args) =>
        CliRunner.RunAsync([.. args, .. args[0] is "sql" ? ["--role", "admin", "--purpose", "operations", "--user", "ops"] : Array.Empty<string>(),
            "--lake", Lake, "--keyring", Path.Combine(_folder.Path, "keys", "keyring.json")]);

    private string Write(string name, params byte[][] lines)
    {
        var path = Path.Combine(_folder.Path, "in", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, [.. lines.SelectMany(l => l.Concat("\n"u8.ToArray()))]);
        return path;
    }

    private static byte[] Text(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>A Patient whose family name holds <paramref name="bad"/> (bytes that are not UTF-8) after the marker.</summary>
    private static byte[] PatientWithBadName(string id, params byte[] bad) =>
        [.. Text($$"""{"resourceType":"Patient","id":"{{id}}","name":[{"family":"{{Marker}}"""), .. bad, .. Text("\"}]}")];

    private static int OffsetOf(byte[] line, byte bad) => Array.IndexOf(line, bad, Text("{\"resourceType\"").Length);

    private async Task<JsonElement> SqlAsync(string sql)
    {
        var (exit, output, error) = await Run("sql", sql, "--format", "json");
        Assert.True(exit == ExitCodes.Ok, $"sql failed ({exit}): {error}");
        using var json = JsonDocument.Parse(output);
        return json.RootElement.Clone();
    }

    [Fact]
    public async Task Ingest_files_quarantines_lines_and_bundle_entries_with_invalid_utf8_and_bronze_stays_readable()
    {
        var twoByte = PatientWithBadName("p2", 0xC3, 0x28);
        var loneFf = PatientWithBadName("p4", 0xFF);
        byte[] badId = [.. Text("""{"resourceType":"Patient","id":"p"""), 0xFF, .. Text("""5"}""")];
        var ndjson = Write("mixed.ndjson",
            Text("""{"resourceType":"Patient","id":"p1"}"""),
            twoByte,
            Text("""{"resourceType":"Patient","id":"p3"}"""),
            loneFf,
            badId,
            Text("""{"resourceType":"Observation","id":"o1","status":"final","code":{"text":"x"},"subject":{"reference":"Patient/p1"}}"""));
        byte[] bundle =
        [
            .. Text("""{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient","id":"b1"}},{"resource":"""),
            .. PatientWithBadName("b2", 0xE2, 0x82),
            .. Text("""},{"resource":{"resourceType":"Patient","id":"b3"}}]}"""),
        ];
        var bundleFile = Path.Combine(_folder.Path, "in", "collection.json");
        File.WriteAllBytes(bundleFile, bundle);

        var (exit, output, error) = await Run("ingest", "files", Path.Combine(_folder.Path, "in"), "--json");

        Assert.True(exit == ExitCodes.Ok, error);
        using (var summary = JsonDocument.Parse(output))
        {
            Assert.Equal(5, summary.RootElement.GetProperty("resources").GetInt32());
            Assert.Equal(4, summary.RootElement.GetProperty("quarantined").GetInt32());
        }

        var bronze = await SqlAsync("SELECT * FROM fhir_resources");
        Assert.Equal(["b1", "b3", "o1", "p1", "p3"], bronze.EnumerateArray().Select(r => r.GetProperty("id").GetString()!).Order(StringComparer.Ordinal));
        Assert.All(bronze.EnumerateArray(), r => Assert.StartsWith("{\"resourceType\"", r.GetProperty("resource").GetString(), StringComparison.Ordinal));

        var quarantine = (await SqlAsync("SELECT location, reason, raw_line FROM quarantine ORDER BY location")).EnumerateArray()
            .Select(r => (Location: r.GetProperty("location").GetString()!, Reason: r.GetProperty("reason").GetString()!, Line: r.GetProperty("raw_line").GetInt64()))
            .ToList();
        var bundleStart = Array.IndexOf(bundle, (byte)0xE2);
        Assert.Equal(
            [
                ($"{bundleFile}, line 1, entry 1", $"invalid UTF-8 at byte offset {bundleStart} of the Bundle", 1L),
                ($"{ndjson}, line 2", $"invalid UTF-8 at byte offset {OffsetOf(twoByte, 0xC3)}", 2L),
                ($"{ndjson}, line 4", $"invalid UTF-8 at byte offset {OffsetOf(loneFf, 0xFF)}", 4L),
                ($"{ndjson}, line 5", $"invalid UTF-8 at byte offset {OffsetOf(badId, 0xFF)}", 5L),
            ],
            quarantine);
        Assert.All(quarantine, q => Assert.DoesNotContain(Marker, q.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ingest_files_quarantines_a_line_over_the_size_limit_and_lands_the_rest_of_the_file()
    {
        var oversized = Text($$"""{"resourceType":"Patient","id":"big","name":[{"family":"{{new string('x', 5000)}}"}]}""");
        var file = Write("big.ndjson",
            Text("""{"resourceType":"Patient","id":"p1"}"""),
            oversized,
            Text("""{"resourceType":"Patient","id":"p3"}"""),
            Text("""{"resourceType":"Patient","id":"p4"}"""));

        var (exit, output, error) = await Run("ingest", "files", file, "--max-line-bytes", "1000", "--json");

        Assert.True(exit == ExitCodes.Ok, error);
        using (var summary = JsonDocument.Parse(output))
        {
            Assert.Equal(3, summary.RootElement.GetProperty("resources").GetInt32());
            Assert.Equal(1, summary.RootElement.GetProperty("quarantined").GetInt32());
        }

        var bronze = await SqlAsync("SELECT * FROM fhir_resources");
        Assert.Equal(["p1", "p3", "p4"], bronze.EnumerateArray().Select(r => r.GetProperty("id").GetString()!).Order(StringComparer.Ordinal));
        var row = Assert.Single((await SqlAsync("SELECT location, reason, raw_line, resource_type, id FROM quarantine")).EnumerateArray());
        Assert.Equal($"{file}, line 2", row.GetProperty("location").GetString());
        Assert.Equal($"the line is {oversized.Length} bytes, over the limit of 1000 bytes (the raw payload keeps it)", row.GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, row.GetProperty("id").ValueKind);
        // The raw zone holds the file as received, the oversized line with it.
        var manifest = Assert.Single((await SqlAsync("SELECT size, quarantined FROM raw_manifest")).EnumerateArray());
        Assert.Equal(new FileInfo(file).Length, manifest.GetProperty("size").GetInt64());
        Assert.Equal(1, manifest.GetProperty("quarantined").GetInt64());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    public async Task Ingest_files_refuses_a_line_limit_under_one_byte_as_bad_usage_naming_the_option(string limit)
    {
        var file = Write("p.ndjson", Text("""{"resourceType":"Patient","id":"p1"}"""));
        var (exit, _, error) = await Run("ingest", "files", file, "--max-line-bytes", limit);
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.Contains($"--max-line-bytes {limit}", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Lake));
    }

    [Fact]
    public async Task Views_build_over_numbers_that_overflow_their_columns_stores_null_and_reports_the_count()
    {
        var file = Write("numbers.ndjson",
            Text("""{"resourceType":"Observation","id":"o1","status":"final","code":{"text":"x"},"valueQuantity":{"value":1e999,"unit":"kg"}}"""),
            Text("""{"resourceType":"Observation","id":"o2","status":"final","code":{"text":"x"},"valueQuantity":{"value":-1e999,"unit":"kg"}}"""),
            Text("""{"resourceType":"Observation","id":"o3","status":"final","code":{"text":"x"},"valueQuantity":{"value":7.5,"unit":"kg"}}"""),
            Text("""{"resourceType":"Patient","id":"p1","multipleBirthInteger":99999999999999999999}"""),
            Text("""{"resourceType":"Patient","id":"p2","multipleBirthInteger":2}"""));
        CliRunner.AssertOk(await Run("ingest", "files", file));
        var views = Path.Combine(_folder.Path, "views");
        Directory.CreateDirectory(views);
        await File.WriteAllTextAsync(Path.Combine(views, "births.json"), """
            {"resourceType":"ViewDefinition","name":"births","resource":"Patient","select":[{"column":[
              {"name":"id","path":"getResourceKey()","type":"id"},{"name":"births","path":"multipleBirth.ofType(integer)","type":"integer"}]}]}
            """);

        var (exit, output, error) = await Run("views", "build", "observation", "births", "--views", views, "--json");

        Assert.True(exit == ExitCodes.Ok, error);
        using (var built = JsonDocument.Parse(output))
        {
            var byView = built.RootElement.EnumerateArray().ToDictionary(v => v.GetProperty("view").GetString()!);
            Assert.Equal(3, byView["observation"].GetProperty("rows").GetInt32());
            Assert.Equal(2, byView["observation"].GetProperty("valuesNulled").GetInt32());
            Assert.Equal(0, byView["observation"].GetProperty("failures").GetInt32());
            Assert.Equal(2, byView["births"].GetProperty("rows").GetInt32());
            Assert.Equal(1, byView["births"].GetProperty("valuesNulled").GetInt32());
            Assert.Equal(["value=2"], byView["observation"].GetProperty("valuesNulledByColumn").EnumerateObject().Select(c => $"{c.Name}={c.Value.GetInt64()}"));
            Assert.Equal(["births=1"], byView["births"].GetProperty("valuesNulledByColumn").EnumerateObject().Select(c => $"{c.Name}={c.Value.GetInt64()}"));
        }

        var exact = await SqlAsync("SELECT list(value_text ORDER BY id) AS texts FROM observation");
        Assert.Equal(["1e999", "-1e999", "7.5"], exact[0].GetProperty("texts").EnumerateArray().Select(t => t.GetString()));
        var observations = await SqlAsync("SELECT id, value, unit FROM observation ORDER BY id");
        Assert.Equal(
            ["o1: null kg", "o2: null kg", "o3: 7.5 kg"],
            observations.EnumerateArray().Select(r => $"{r.GetProperty("id").GetString()}: {(r.GetProperty("value").ValueKind == JsonValueKind.Null ? "null" : r.GetProperty("value").GetDouble().ToString(System.Globalization.CultureInfo.InvariantCulture))} {r.GetProperty("unit").GetString()}"));
        var births = await SqlAsync("SELECT id, births FROM births ORDER BY id");
        Assert.Equal(JsonValueKind.Null, births[0].GetProperty("births").ValueKind);
        Assert.Equal(2, births[1].GetProperty("births").GetInt64());

        // The text summary says it too, on a rebuild after more bronze.
        Write("more.ndjson", Text("""{"resourceType":"Observation","id":"o4","status":"final","code":{"text":"x"},"valueQuantity":{"value":1e400}}"""));
        CliRunner.AssertOk(await Run("ingest", "files", Path.Combine(_folder.Path, "in", "more.ndjson")));
        var text = await Run("views", "build", "observation");
        Assert.Equal(ExitCodes.Ok, text.Exit);
        Assert.Contains("3 values nulled (value 3)", text.Out, StringComparison.Ordinal);
        Assert.Contains("views: observation stored 3 values as null that do not fit their column's type (a number that overflows it, text in a number column): value 3;", text.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Views_build_keeps_each_decimal_exact_in_its_text_column_beside_the_double_sql_reads()
    {
        string[] values = ["0.1", "0.2", "0.1000000000000000055511151231257827", "12345678901234567890.123", "1.50"];
        var file = Write("decimals.ndjson", [.. values.Select((v, i) =>
            Text($$$"""{"resourceType":"Observation","id":"o{{{i}}}","status":"final","code":{"text":"x"},"valueQuantity":{"value":{{{v}}},"unit":"mg"}}"""))]);
        CliRunner.AssertOk(await Run("ingest", "files", file));

        var (exit, output, error) = await Run("views", "build", "observation");

        Assert.True(exit == ExitCodes.Ok, error);
        Assert.DoesNotContain("nulled", output, StringComparison.Ordinal);
        var rows = await SqlAsync("SELECT id, value_text, typeof(value) AS double_type, CAST(CAST(value_text AS DECIMAL(38, 3)) AS VARCHAR) AS as_decimal FROM observation ORDER BY id");
        Assert.Equal(values, rows.EnumerateArray().Select(r => r.GetProperty("value_text").GetString()));
        Assert.All(rows.EnumerateArray(), r => Assert.Equal("DOUBLE", r.GetProperty("double_type").GetString()));
        Assert.Equal("12345678901234567890.123", rows[3].GetProperty("as_decimal").GetString());
        // The double adds as doubles do; the exact text adds as decimals.
        var sums = await SqlAsync("SELECT CAST(sum(value) AS VARCHAR) AS doubles, CAST(sum(CAST(value_text AS DECIMAL(18, 1))) AS VARCHAR) AS decimals FROM observation WHERE id IN ('o0', 'o1')");
        Assert.Equal(("0.30000000000000004", "0.3"), (sums[0].GetProperty("doubles").GetString(), sums[0].GetProperty("decimals").GetString()));
    }
}
