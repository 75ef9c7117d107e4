using Fhirhouse.Ingest.Sources.Bulk;

namespace Fhirhouse.Ingest.Tests.Sources.Bulk;

public sealed class BulkExportOptionsTests
{
    [Fact]
    public void The_kick_off_url_carries_level_types_since_and_type_filters_escaped()
    {
        var options = new BulkExportOptions
        {
            BaseUrl = new Uri("https://ehr.example.org/fhir/"),
            Level = BulkExportLevel.Group,
            GroupId = "icu 1",
            Types = ["Patient", "Observation"],
            Since = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)),
            TypeFilters = ["Observation?status=final&code=http://loinc.org|8867-4"],
        };

        Assert.Equal(
            "https://ehr.example.org/fhir/Group/icu%201/$export?_outputFormat=application%2Ffhir%2Bndjson&_type=Patient%2CObservation"
            + "&_since=2025-01-02T01%3A04%3A05.000Z&_typeFilter=Observation%3Fstatus%3Dfinal%26code%3Dhttp%3A%2F%2Floinc.org%7C8867-4",
            options.KickOffUrl().AbsoluteUri);
        Assert.Equal("https://ehr.example.org/fhir/Patient/$export?_outputFormat=application%2Ffhir%2Bndjson",
            (options with { Level = BulkExportLevel.Patient, GroupId = null, Types = [], Since = null, TypeFilters = [] }).KickOffUrl().AbsoluteUri);
    }

    [Fact]
    public void The_same_options_keep_their_state_in_the_same_lake_object_and_other_options_in_another()
    {
        var options = new BulkExportOptions { BaseUrl = new Uri("http://h/fhir") };
        Assert.Equal(BulkExportClient.StateKey(options), BulkExportClient.StateKey(options with { }));
        Assert.StartsWith("jobs/bulk/", BulkExportClient.StateKey(options), StringComparison.Ordinal);
        Assert.NotEqual(BulkExportClient.StateKey(options), BulkExportClient.StateKey(options with { Types = ["Patient"] }));
    }

    [Theory]
    [InlineData("ftp://h/fhir", null, BulkExportLevel.System, "absolute http(s)")]
    [InlineData("http://h/fhir", null, BulkExportLevel.Group, "group id")]
    [InlineData("http://h/fhir", "g", BulkExportLevel.System, "Group level")]
    public void Bad_options_are_refused_naming_the_setting(string url, string? group, BulkExportLevel level, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => new BulkExportOptions { BaseUrl = new Uri(url), GroupId = group, Level = level }.Validate());
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
