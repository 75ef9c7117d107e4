using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;
using Xunit.Abstractions;

namespace Fhirhouse.Synthetic.Tests;

/// <summary>Every generated resource type validates against the base FHIR R4 specification with Firely's validator.</summary>
public sealed class FhirValidationTests(GeneratedHospital hospital, ITestOutputHelper output) : IClassFixture<GeneratedHospital>
{
    private const int SamplePerType = 25;

    private static Validator NewValidator()
    {
        var cache = Path.Combine(Path.GetTempPath(), "fhirhouse-firely-cache");
        var zip = Path.Combine(AppContext.BaseDirectory, "specification.zip");
        var resolver = new CachedResolver(new ZipSource(zip, cache));
        return new Validator(resolver.AsAsync(), new LocalTerminologyService(resolver.AsAsync()));
    }

    [Fact]
    public void The_validator_catches_a_generated_observation_that_breaks_invariant_obs_6()
    {
        var observation = hospital.Resources["Observation"].First(o => o.TryGetProperty("valueQuantity", out _)).GetRawText();
        var json = observation.Replace("\"status\":\"final\",", "\"status\":\"final\",\"dataAbsentReason\":{\"text\":\"not measured\"},", StringComparison.Ordinal);
        var outcome = NewValidator().Validate(new FhirJsonDeserializer().DeserializeResource(json));
        Assert.Contains(outcome.Issue, i => i.Severity == OperationOutcome.IssueSeverity.Error && (i.Details?.Text ?? string.Empty).Contains("obs-6", StringComparison.Ordinal));
    }

    [Fact]
    public void A_sample_of_every_resource_type_validates_against_base_R4_without_errors()
    {
        var validator = NewValidator();
        var parser = new FhirJsonDeserializer();
        var failures = new List<string>();
        var validated = 0;
        foreach (var (type, resources) in hospital.Resources.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var step = Math.Max(1, resources.Count / SamplePerType);
            for (var i = 0; i < resources.Count; i += step)
            {
                var resource = parser.DeserializeResource(resources[i].GetRawText());
                var outcome = validator.Validate(resource);
                validated++;
                foreach (var issue in outcome.Issue.Where(x => x.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal))
                {
                    failures.Add($"{type}/{resource.Id}: {issue.Details?.Text ?? issue.Diagnostics} at {string.Join(",", issue.Expression ?? [])}");
                }
            }
        }

        output.WriteLine($"validated {validated} resources of {hospital.Resources.Count} types, {failures.Count} errors");
        foreach (var f in failures.Take(20))
        {
            output.WriteLine(f);
        }

        Assert.True(validated >= hospital.Resources.Count * 1, "every type sampled");
        Assert.Empty(failures);
    }
}
