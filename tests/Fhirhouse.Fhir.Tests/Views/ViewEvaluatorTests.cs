using System.Text;
using System.Text.Json;
using Fhirhouse.Fhir.Views;

namespace Fhirhouse.Fhir.Tests.Views;

public sealed class ViewEvaluatorTests
{
    private const string Patient = """
        {"resourceType":"Patient","id":"p1","active":true,"birthDate":"1980-02-03","multipleBirthInteger":2,
         "name":[{"use":"official","family":"Doe","given":["Jane","Ann"]},{"family":"Roe"}],
         "extension":[{"url":"http://x/weight","valueDecimal":61.50}]}
        """;

    [Fact]
    public void Columns_carry_their_sql_types_and_values_convert_to_them()
    {
        var view = ViewDefinition.Parse("""
            {"resource":"Patient","select":[{"column":[
              {"name":"id","path":"getResourceKey()","type":"id"},
              {"name":"active","path":"active","type":"boolean"},
              {"name":"born","path":"birthDate","type":"date"},
              {"name":"twins","path":"multipleBirth.ofType(integer)","type":"integer"},
              {"name":"weight","path":"extension('http://x/weight').value.ofType(decimal)","type":"decimal"},
              {"name":"given","path":"name.first().given","type":"string","collection":true}]}]}
            """);
        using var patient = JsonDocument.Parse(Patient);

        var row = Assert.Single(view.Evaluate(patient.RootElement));

        Assert.Equal(
            [ViewColumnType.String, ViewColumnType.Boolean, ViewColumnType.Date, ViewColumnType.Integer, ViewColumnType.Decimal, ViewColumnType.String],
            view.Columns.Select(c => c.Type));
        Assert.True(view.Columns[5].Collection);
        Assert.Equal(["p1", true, "1980-02-03", 2L, 61.50m, new object?[] { "Jane", "Ann" }], row.Values);
    }

    [Fact]
    public void Evaluating_utf8_bytes_streams_rows_to_the_sink_and_skips_other_resource_types()
    {
        var view = ViewDefinition.Parse("""{"resource":"Patient","select":[{"forEach":"name","column":[{"name":"family","path":"family"},{"name":"n","path":"%rowIndex","type":"integer"}]}]}""");
        var evaluator = view.CreateEvaluator();
        var sink = new JsonSink();

        var rows = evaluator.Evaluate(Encoding.UTF8.GetBytes(Patient), sink);
        var none = evaluator.Evaluate(Encoding.UTF8.GetBytes("""{"resourceType":"Observation","id":"o"}"""), sink);

        Assert.Equal(2, rows);
        Assert.Equal(0, none);
        Assert.Equal(["""["Doe",0]""", """["Roe",1]"""], sink.Rows);
    }

    [Fact]
    public void Resource_type_prefix_choice_navigation_and_union_work_in_paths()
    {
        var view = ViewDefinition.Parse("""
            {"resource":"Patient","select":[{"column":[
              {"name":"family","path":"Patient.name.where(use = 'official').family"},
              {"name":"births","path":"multipleBirth + 1","type":"integer"},
              {"name":"all_families","path":"(name[0].family | name[1].family | name[0].family).join('/')"},
              {"name":"is_doe","path":"name.family contains 'Doe'","type":"boolean"},
              {"name":"born_before","path":"birthDate < @1990-01-01","type":"boolean"}]}]}
            """);
        using var patient = JsonDocument.Parse(Patient);

        var row = Assert.Single(view.Evaluate(patient.RootElement));

        Assert.Equal(["Doe", 3L, "Doe/Roe", true, true], row.Values);
    }

    [Fact]
    public void A_view_over_n_copies_of_a_resource_gives_n_times_the_rows()
    {
        var view = DefaultViews.Get("patient");
        var evaluator = view.CreateEvaluator();
        var sink = new JsonSink();
        using var patient = JsonDocument.Parse(Patient);
        for (var n = 1; n <= 5; n++)
        {
            evaluator.Evaluate(patient.RootElement, sink);
            Assert.Equal(n, sink.Rows.Count);
            Assert.Single(sink.Rows.Distinct());
        }
    }

    [Fact]
    public void Typed_accessors_take_numbers_and_booleans_as_they_are_and_never_parse_text()
    {
        var view = ViewDefinition.Parse("""
            {"resource":"Patient","select":[{"column":[
              {"name":"whole","path":"multipleBirth.ofType(integer)","type":"integer"},
              {"name":"fraction","path":"extension('http://x/weight').value.ofType(decimal)","type":"decimal"},
              {"name":"integral_decimal","path":"2.0","type":"integer"},
              {"name":"flag","path":"active","type":"boolean"},
              {"name":"text","path":"birthDate","type":"integer"},
              {"name":"none","path":"deceased.ofType(boolean)","type":"boolean"}]}]}
            """);
        var sink = new CallbackSink(row =>
        {
            Assert.True(row[0].TryGetInteger(out var whole));
            Assert.Equal(2, whole);
            Assert.True(row[0].TryGetDouble(out var asDouble));
            Assert.Equal(2.0, asDouble);
            Assert.False(row[0].TryGetBoolean(out _));

            Assert.False(row[1].TryGetInteger(out _));
            Assert.True(row[1].TryGetDouble(out var fraction));
            Assert.Equal(61.5, fraction);

            Assert.True(row[2].TryGetInteger(out var integral));
            Assert.Equal(2, integral);

            Assert.True(row[3].TryGetBoolean(out var flag));
            Assert.True(flag);
            Assert.False(row[3].TryGetInteger(out _));

            Assert.False(row[4].TryGetInteger(out _));
            Assert.False(row[4].TryGetDouble(out _));
            Assert.True(row[4].TryGetUtf8(out var text));
            Assert.Equal("1980-02-03", Encoding.UTF8.GetString(text));

            Assert.True(row[5].IsNull);
            Assert.False(row[5].TryGetBoolean(out _));
        });

        Assert.Equal(1, view.CreateEvaluator().Evaluate(Encoding.UTF8.GetBytes(Patient), sink));
        Assert.Equal(1, sink.Calls);
    }

    [Fact]
    public void Typed_accessors_are_false_for_numbers_that_overflow_the_column_type_and_never_throw()
    {
        var view = ViewDefinition.Parse("""
            {"resource":"Observation","select":[{"column":[
              {"name":"value","path":"value.ofType(Quantity).value","type":"decimal"},
              {"name":"low","path":"referenceRange.low.value","type":"decimal"},
              {"name":"count","path":"component.value.ofType(integer)","type":"integer"},
              {"name":"big","path":"referenceRange.high.value","type":"integer"}]}]}
            """);
        var sink = new CallbackSink(row =>
        {
            Assert.False(row[0].IsNull);
            Assert.False(row[0].TryGetDouble(out _));
            Assert.False(row[0].TryGetInteger(out _));
            Assert.False(row[1].TryGetDouble(out _));
            Assert.False(row[2].TryGetInteger(out _));
            Assert.True(row[2].TryGetDouble(out var asDouble));
            Assert.Equal(1e20, asDouble);
            Assert.False(row[3].TryGetInteger(out _));
            Assert.True(row[3].TryGetDouble(out var huge));
            Assert.Equal(1e300, huge);
        });

        var resource = """
            {"resourceType":"Observation","id":"o","valueQuantity":{"value":1e999},"referenceRange":[{"low":{"value":-1e999},"high":{"value":1e300}}],
             "component":[{"valueInteger":99999999999999999999}]}
            """;
        Assert.Equal(1, view.CreateEvaluator().Evaluate(Encoding.UTF8.GetBytes(resource), sink));
        Assert.Equal(1, sink.Calls);
    }

    [Fact]
    public void A_number_read_from_the_resource_gives_its_text_as_written_and_a_computed_one_its_decimal_text()
    {
        var view = ViewDefinition.Parse("""
            {"resource":"Observation","select":[{"column":[
              {"name":"value","path":"value.ofType(Quantity).value","type":"decimal"},
              {"name":"huge","path":"referenceRange.high.value","type":"decimal"},
              {"name":"scaled","path":"referenceRange.low.value","type":"decimal"},
              {"name":"computed","path":"1.50 + 0.25","type":"decimal"},
              {"name":"text","path":"status","type":"decimal"}]}]}
            """);
        var sink = new CallbackSink(row =>
        {
            Assert.True(row[0].TryGetNumberUtf8(out var exact));
            Assert.Equal("0.1000000000000000055511151231257827", Encoding.UTF8.GetString(exact));
            Assert.True(row[1].TryGetNumberUtf8(out var huge));
            Assert.Equal("1e400", Encoding.UTF8.GetString(huge));
            Assert.True(row[2].TryGetNumberUtf8(out var scaled));
            Assert.Equal("1.50", Encoding.UTF8.GetString(scaled));
            Assert.False(row[3].TryGetNumberUtf8(out _));
            Assert.Equal("1.75", row[3].GetString());
            Assert.False(row[4].TryGetNumberUtf8(out _));
        });

        var resource = """
            {"resourceType":"Observation","id":"o","status":"final","valueQuantity":{"value":0.1000000000000000055511151231257827},
             "referenceRange":[{"low":{"value":1.50},"high":{"value":1e400}}]}
            """;
        Assert.Equal(1, view.CreateEvaluator().Evaluate(Encoding.UTF8.GetBytes(resource), sink));
        Assert.Equal(1, sink.Calls);
    }

    private delegate void RowCheck(ReadOnlySpan<ColumnValue> row);

    private sealed class CallbackSink(RowCheck check) : IViewRowSink
    {
        public int Calls { get; private set; }

        public void OnRow(ReadOnlySpan<ColumnValue> row)
        {
            Calls++;
            check(row);
        }
    }

    private sealed class JsonSink : IViewRowSink
    {
        public List<string> Rows { get; } = [];

        public void OnRow(ReadOnlySpan<ColumnValue> row)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartArray();
                foreach (var value in row)
                {
                    value.WriteTo(writer);
                }

                writer.WriteEndArray();
            }

            Rows.Add(Encoding.UTF8.GetString(buffer.ToArray()));
        }
    }
}
