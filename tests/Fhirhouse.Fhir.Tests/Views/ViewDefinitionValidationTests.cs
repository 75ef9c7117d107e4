using Fhirhouse.Fhir.Views;

namespace Fhirhouse.Fhir.Tests.Views;

public sealed class ViewDefinitionValidationTests
{
    [Theory]
    [InlineData("""{"select":[{"column":[{"name":"id","path":"id"}]}]}""", "resource")]
    [InlineData("""{"resource":"Patient"}""", "select")]
    [InlineData("""{"resource":"Patient","select":[{"column":[{"name":"id","path":"id"}]},{"column":[{"name":"1bad","path":"id"}]}]}""", "select[1].column[0].name")]
    [InlineData("""{"resource":"Patient","select":[{"column":[{"name":"a","path":"id"}]},{"column":[{"name":"b","path":"name.where(use = 'x'"}]}]}""", "select[1].column[0].path")]
    [InlineData("""{"resource":"Patient","select":[{"column":[{"name":"a","path":"name.frobnicate()"}]}]}""", "select[0].column[0].path")]
    [InlineData("""{"resource":"Patient","select":[{"forEach":1,"column":[{"name":"a","path":"id"}]}]}""", "select[0].forEach")]
    [InlineData("""{"resource":"Patient","select":[{"forEach":"name","forEachOrNull":"name","column":[{"name":"a","path":"id"}]}]}""", "select[0]")]
    [InlineData("""{"resource":"Patient","select":[{"column":[{"name":"a","path":"id"},{"name":"a","path":"id"}]}]}""", "select[0].column[1].name")]
    [InlineData("""{"resource":"Patient","constant":[{"name":"c"}],"select":[{"column":[{"name":"a","path":"%c"}]}]}""", "constant[0]")]
    [InlineData("""{"resource":"Patient","select":[{"column":[{"name":"a","path":"%missing"}]}]}""", "select[0].column[0].path")]
    [InlineData("""{"resource":"Patient","select":[{"column":[{"name":"a","path":"id","collection":"yes"}]}]}""", "select[0].column[0].collection")]
    [InlineData("""{"resource":"Patient","where":[{"path":"@@"}],"select":[{"column":[{"name":"a","path":"id"}]}]}""", "where[0].path")]
    [InlineData("""{"resource":"Patient","select":[{"unionAll":[{"column":[{"name":"a","path":"id"}]},{"column":[{"name":"b","path":"id"}]}]}]}""", "select[0].unionAll[1].column[0].name")]
    [InlineData("""{"resource":"Patient","select":[{"unionAll":[{"column":[{"name":"a","path":"id"},{"name":"b","path":"id"}]},{"column":[{"name":"a","path":"id"}]}]}]}""", "select[0].unionAll[1]")]
    [InlineData("""{"resource":"Patient","select":[{"colum":[{"name":"a","path":"id"}]}]}""", "select[0].colum")]
    [InlineData("""{"resource":"Patient","select":[{"column":[{"name":"a","path":"id","colection":true}]}]}""", "select[0].column[0].colection")]
    [InlineData("""{"resource":"Patient","constant":[{"name":"q","valueQuantity":{"value":1}}],"select":[{"column":[{"name":"a","path":"id"}]}]}""", "constant[0].valueQuantity")]
    [InlineData("""{"resource":"Patient","constant":[{"name":"n","valueInteger":"1"}],"select":[{"column":[{"name":"a","path":"id"}]}]}""", "constant[0].valueInteger")]
    [InlineData("""{"resource":"Patient","constant":[{"name":"n","valueInteger":1.5}],"select":[{"column":[{"name":"a","path":"id"}]}]}""", "constant[0].valueInteger")]
    public void Invalid_definition_fails_with_the_path_of_the_problem(string json, string path)
    {
        var error = Assert.Throws<ViewDefinitionException>(() => ViewDefinition.Parse(json));
        Assert.Equal(path, error.Path);
        Assert.StartsWith(path + ": ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Column_without_collection_returning_many_values_fails_on_evaluation_with_its_path()
    {
        var view = ViewDefinition.Parse("""{"resource":"Patient","select":[{"column":[{"name":"id","path":"id"}]},{"column":[{"name":"given","path":"name.given"}]}]}""");
        using var patient = System.Text.Json.JsonDocument.Parse("""{"resourceType":"Patient","id":"p","name":[{"given":["a","b"]}]}""");

        var error = Assert.Throws<ViewDefinitionException>(() => view.Evaluate(patient.RootElement));

        Assert.Equal("select[1].column[0]", error.Path);
        Assert.Contains("returned 2 values", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Where_that_is_not_boolean_fails_on_evaluation_with_its_path()
    {
        var view = ViewDefinition.Parse("""{"resource":"Patient","where":[{"path":"active"},{"path":"name.family"}],"select":[{"column":[{"name":"id","path":"id"}]}]}""");
        using var patient = System.Text.Json.JsonDocument.Parse("""{"resourceType":"Patient","id":"p","active":true,"name":[{"family":"F"}]}""");

        var error = Assert.Throws<ViewDefinitionException>(() => view.Evaluate(patient.RootElement));

        Assert.Equal("where[1].path", error.Path);
    }

    [Fact]
    public void Error_in_a_forEach_on_a_resource_names_the_forEach_and_the_resource()
    {
        var view = ViewDefinition.Parse("""{"resource":"Patient","select":[{"column":[{"name":"id","path":"id"}]},{"forEach":"name.where(given)","column":[{"name":"f","path":"family"}]}]}""");
        using var patient = System.Text.Json.JsonDocument.Parse("""{"resourceType":"Patient","id":"p7","name":[{"family":"F","given":["a","b"]}]}""");

        var error = Assert.Throws<ViewDefinitionException>(() => view.Evaluate(patient.RootElement));

        Assert.Equal("select[1].forEach", error.Path);
        Assert.Contains("(on Patient/p7)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_json_is_a_view_definition_error()
    {
        var error = Assert.Throws<ViewDefinitionException>(() => ViewDefinition.Parse("{"));
        Assert.Equal(string.Empty, error.Path);
    }
}
