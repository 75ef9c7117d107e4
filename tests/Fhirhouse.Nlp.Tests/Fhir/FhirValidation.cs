using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;

namespace Fhirhouse.Nlp.Tests.Fhir;

/// <summary>Firely's validator over the base R4 specification (specification.zip), built once: the errors of a resource's JSON.</summary>
internal static class FhirValidation
{
    private static readonly Lazy<Validator> s_validator = new(() =>
    {
        var cache = Path.Combine(Path.GetTempPath(), "fhirhouse-firely-cache-nlp");
        var zip = Path.Combine(AppContext.BaseDirectory, "specification.zip");
        var resolver = new CachedResolver(new ZipSource(zip, cache));
        return new Validator(resolver.AsAsync(), new LocalTerminologyService(resolver.AsAsync()));
    });

    private static readonly object s_lock = new();

    public static IReadOnlyList<string> Errors(string json)
    {
        var resource = new FhirJsonDeserializer().DeserializeResource(json);
        OperationOutcome outcome;
        lock (s_lock)
        {
            outcome = s_validator.Value.Validate(resource);
        }

        return outcome.Issue
            .Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal)
            .Select(i => $"{resource.TypeName}/{resource.Id}: {i.Details?.Text ?? i.Diagnostics} at {string.Join(",", i.Expression ?? [])}")
            .ToList();
    }
}
