using System.Text.Json;
using Fhirhouse.Fhir.FhirPath;

namespace Fhirhouse.Fhir.Tests.FhirPath;

public sealed class FhirPathCompilerTests
{
    private const string Encounter = """
        {"resourceType":"Encounter","id":"e1","status":"finished",
         "subject":{"reference":"Patient/p1"},
         "participant":[{"individual":{"reference":"https://x.org/fhir/Practitioner/dr1/_history/3"}},
                        {"individual":{"reference":"Practitioner?identifier=http://npi|99"}},
                        {"individual":{"reference":"urn:uuid:8a1c"}},
                        {"individual":{"reference":"#contained"}}],
         "length":{"value":12.50,"unit":"min"},
         "period":{"start":"2020-03-04T05:06:07+02:00","end":"2020-03"}}
        """;

    [Theory]
    [InlineData("subject.getReferenceKey()", "p1")]
    [InlineData("subject.getReferenceKey(Patient)", "p1")]
    [InlineData("subject.getReferenceKey(Group)", "")]
    [InlineData("participant.individual.getReferenceKey()", "dr1,8a1c")]
    [InlineData("participant.individual.getReferenceKey(Practitioner)", "dr1,8a1c")]
    [InlineData("getResourceKey()", "e1")]
    [InlineData("length.value.lowBoundary()", "12.495")]
    [InlineData("length.value.highBoundary()", "12.505")]
    [InlineData("period.end.lowBoundary()", "2020-03-01")]
    [InlineData("period.end.highBoundary()", "2020-03-31")]
    [InlineData("period.start.highBoundary()", "2020-03-04T05:06:07.999+02:00")]
    [InlineData("length.value * 2", "25.00")]
    [InlineData("7 div 2 | 7 mod 2", "3,1")]
    [InlineData("status = 'finished' and length.value > 12", "true")]
    [InlineData("participant.count()", "4")]
    [InlineData("participant[1].individual.reference.startsWith('Practitioner?')", "true")]
    [InlineData("period.start > @2020-03-04T03:00:00Z", "true")]
    [InlineData("period.start < @2020-03-04T04:00:00Z", "true")]
    [InlineData("'a' & {} & 'b'", "ab")]
    [InlineData("(1 | 2 | 1).count()", "2")]
    [InlineData("status.exists() implies subject.exists()", "true")]
    [InlineData("participant.where(individual.reference.contains('uuid')).exists()", "true")]
    [InlineData("(length as Quantity).unit", "min")]
    [InlineData("iif(status = 'finished', 'done', 'open')", "done")]
    [InlineData("iif(status = 'planned', 'done')", "")]
    [InlineData("status.upper() & status.lower().length()", "FINISHED8")]
    [InlineData("status.substring(1, 3) | status.substring(6) | status.substring(20)", "ini,ed")]
    [InlineData("status.endsWith('ed') and status.hasValue() and length.hasValue().not()", "true")]
    [InlineData("'12'.toInteger() + '0.5'.toDecimal()", "12.5")]
    [InlineData("participant.individual.reference.tail().take(2).skip(1).count()", "1")]
    [InlineData("participant.individual.reference.take(1).single().startsWith('https')", "true")]
    [InlineData("length.as(Quantity).value + 1", "13.50")]
    [InlineData("length is Quantity", "true")]
    [InlineData("status is FHIR.string", "true")]
    [InlineData("length.is(Period)", "false")]
    [InlineData("1 + 2 is Integer", "true")]
    [InlineData("subject is Reference and subject.is(Quantity).not()", "true")]
    public void Expression_evaluates_to_the_expected_items(string expression, string expected)
    {
        Assert.Equal(expected, Evaluate(expression, Encounter));
    }

    [Theory]
    [InlineData("name.where(", "unexpected end of expression")]
    [InlineData("name.frobnicate()", "unknown function 'frobnicate'")]
    [InlineData("first(1)", "takes 0..0 arguments")]
    [InlineData("%nope", "undefined constant '%nope'")]
    [InlineData("name..family", "expected a name after '.'")]
    [InlineData("'open", "unterminated")]
    [InlineData("@@", "'@' must start a date")]
    [InlineData("name #", "unexpected character '#'")]
    [InlineData("iif(true)", "takes 2..3 arguments")]
    public void Invalid_expression_fails_naming_the_problem(string expression, string reason)
    {
        var error = Assert.Throws<FhirPathException>(() => FhirPathCompiler.Compile(expression, new Dictionary<string, FhirItem>()));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Contains(expression, error.Message, StringComparison.Ordinal);
    }

    private static string Evaluate(string expression, string json)
    {
        using var document = JsonDocument.Parse(json);
        var node = FhirPathCompiler.Compile(expression, new Dictionary<string, FhirItem>());
        var context = new EvaluationContext { Resource = FhirItem.FromElement(document.RootElement) };
        var output = new ItemBuffer();
        node.Evaluate(context, context.Rent(context.Resource), output);
        return string.Join(",", output.ToArray().Select(i => i.GetString()));
    }
}
