using Fhirhouse.Governance.Research;

namespace Fhirhouse.Governance.Tests.Research;

public sealed class PseudonymizerTests
{
    [Theory]
    [InlineData("2024-03-01", 3, "2024-03-04")]
    [InlineData("2024-02-28T23:30:00+01:00", 2, "2024-03-01T23:30:00+01:00")]
    [InlineData("2024-01-01T00:00:00Z", -1, "2023-12-31T00:00:00Z")]
    [InlineData("2024", 5, null)]
    [InlineData("2024-03", 5, null)]
    [InlineData("final", 5, null)]
    [InlineData("2024-13-01", 5, null)]
    [InlineData("2024-03-01 and more", 5, null)]
    public void A_full_date_moves_by_whole_days_keeping_its_time_and_zone(string text, int days, string? expected) =>
        Assert.Equal(expected, Pseudonymizer.ShiftFhirDate(text, days));

    [Theory]
    [InlineData("Patient/abc-1", true)]
    [InlineData("Observation/x.y", true)]
    [InlineData("Nonsense/abc", false)]
    [InlineData("Patient/", false)]
    [InlineData("http://loinc.org/8867-4", false)]
    [InlineData("Patient/a/_history/2", false)]
    public void A_reference_is_a_known_type_and_a_valid_id(string value, bool expected) =>
        Assert.Equal(expected, Pseudonymizer.IsReference(value));
}
