using Fhirhouse.Nlp.Fhir;
using Xunit.Abstractions;

namespace Fhirhouse.Nlp.Tests.Fhir;

/// <summary>What the writer emits, and its retractions, validate against base R4 with Firely's validator.</summary>
public sealed class NlpFhirValidationTests(ITestOutputHelper output)
{
    [Fact]
    public void Every_resource_written_for_french_and_english_notes_validates_without_errors()
    {
        var resources = new[] { Notes.FrenchNote(), Notes.EnglishReport(), Notes.FrenchNote(Notes.More) }.SelectMany(d => Notes.Write(d).Resources).ToList();
        Assert.Equal(
            ["Condition", "Device", "FamilyMemberHistory", "MedicationStatement", "Observation", "Procedure", "Provenance"],
            resources.Select(r => r.ResourceType).Distinct().Order(StringComparer.Ordinal));
        var failures = resources.SelectMany(r => FhirValidation.Errors(r.Json)).ToList();
        foreach (var failure in failures)
        {
            output.WriteLine(failure);
        }

        Assert.True(resources.Count >= 25, $"{resources.Count} resources");
        Assert.Empty(failures);
    }

    [Fact]
    public void Every_retracted_resource_validates_and_is_entered_in_error()
    {
        var retracted = new[] { Notes.FrenchNote(), Notes.EnglishReport() }
            .SelectMany(d => Notes.Write(d).Resources)
            .Where(r => NlpFhirWriter.MentionResourceTypes.Contains(r.ResourceType))
            .Select(r => NlpFhirWriter.Retract(r.Json, Notes.Fallback.AddDays(1)))
            .ToList();
        Assert.Equal(5, retracted.Select(j => Json.Read(j).GetProperty("resourceType").GetString()).Distinct().Count());
        Assert.All(retracted, j => Assert.Contains("entered-in-error", j, StringComparison.Ordinal));
        Assert.Empty(retracted.SelectMany(FhirValidation.Errors));
    }

    [Fact]
    public void The_validator_catches_a_condition_in_error_that_keeps_its_clinical_status()
    {
        var condition = Notes.Write(Notes.FrenchNote()).Resources.First(r => r.ResourceType == "Condition" && r.Json.Contains("\"clinicalStatus\"", StringComparison.Ordinal));
        var broken = condition.Json.Replace("\"code\":\"confirmed\",\"display\":\"Confirmed\"", "\"code\":\"entered-in-error\"", StringComparison.Ordinal)
            .Replace("\"code\":\"unconfirmed\",\"display\":\"Unconfirmed\"", "\"code\":\"entered-in-error\"", StringComparison.Ordinal);
        Assert.NotEqual(condition.Json, broken);
        Assert.Contains(FhirValidation.Errors(broken), e => e.Contains("con-5", StringComparison.Ordinal));
    }
}
