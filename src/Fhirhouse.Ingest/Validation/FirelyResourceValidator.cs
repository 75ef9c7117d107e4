using System.Text;
using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Specification.Source;
using Fhirhouse.Lake.Landing;
using Hl7.Fhir.Specification.Terminology;

namespace Fhirhouse.Ingest.Validation;

/// <summary>
/// Full validation with Firely's validator against base FHIR R4 (the specification shipped in the
/// Hl7.Fhir.Specification.Data.R4 package), with cached resolution so that a resource takes well under a millisecond
/// once the first of its type has been seen. Thread-safe for concurrent use.
/// </summary>
public sealed class FirelyResourceValidator : IResourceValidator
{
    private readonly Validator _validator;
    private readonly FhirJsonDeserializer _parser = new();

    /// <summary>
    /// <paramref name="specificationZip"/>: the R4 specification.zip; <paramref name="cacheFolder"/>: where Firely unpacks it
    /// (no PHI is written there).
    /// </summary>
    public FirelyResourceValidator(string specificationZip, string cacheFolder)
    {
        if (!File.Exists(specificationZip))
        {
            throw new FileNotFoundException($"The FHIR R4 specification archive was not found at {specificationZip}.", specificationZip);
        }

        var resolver = new CachedResolver(new ZipSource(specificationZip, cacheFolder));
        _validator = new Validator(resolver.AsAsync(), new LocalTerminologyService(resolver.AsAsync()));
    }

    public string? Validate(ReadOnlySpan<byte> resourceJson)
    {
        Resource resource;
        try
        {
            resource = _parser.DeserializeResource(Encoding.UTF8.GetString(resourceJson));
        }
        catch (DeserializationFailedException e)
        {
            return "FHIR R4 parsing failed: " + e.Message;
        }

        var outcome = _validator.Validate(resource);
        var errors = outcome.Issue
            .Where(i => i.Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal)
            .Take(3)
            .Select(i => $"{i.Details?.Text ?? i.Diagnostics} ({string.Join(",", i.Expression ?? [])})")
            .ToList();
        return errors.Count == 0 ? null : "FHIR R4 validation failed: " + string.Join("; ", errors);
    }
}
