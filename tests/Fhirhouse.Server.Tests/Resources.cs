namespace Fhirhouse.Server.Tests;

/// <summary>Small FHIR resources as NDJSON lines.</summary>
internal static class Resources
{
    public static string Patient(string id, string updated = "2025-01-01T00:00:00Z", string gender = "female") =>
        $$$"""{"resourceType":"Patient","id":"{{{id}}}","meta":{"versionId":"1","lastUpdated":"{{{updated}}}"},"gender":"{{{gender}}}"}""";

    public static string Observation(string id, string patient, string status = "final", string code = "8867-4", string updated = "2025-01-01T00:00:00Z") =>
        $$$"""{"resourceType":"Observation","id":"{{{id}}}","meta":{"versionId":"1","lastUpdated":"{{{updated}}}"},"status":"{{{status}}}","code":{"coding":[{"system":"http://loinc.org","code":"{{{code}}}"}]},"subject":{"reference":"Patient/{{{patient}}}"}}""";

    public static string Group(string id, params string[] patients) =>
        $$$"""{"resourceType":"Group","id":"{{{id}}}","meta":{"versionId":"1","lastUpdated":"2025-01-01T00:00:00Z"},"type":"person","actual":true,"member":[{{{Members(patients)}}}]}""";

    private static string Members(string[] patients) => string.Join(',', patients.Select(p => "{\"entity\":{\"reference\":\"Patient/" + p + "\"}}"));

    public static string Delete(string key, string timestamp) =>
        $$$"""{"resourceType":"Bundle","type":"transaction","timestamp":"{{{timestamp}}}","entry":[{"request":{"method":"DELETE","url":"{{{key}}}"}}]}""";
}
