using System.Text;
using System.Text.Json;
using Fhirhouse.Fhir.Ndjson;
using Fhirhouse.Fhir.Resources;
using Fhirhouse.Testing;

namespace Fhirhouse.Fhir.Tests.Resources;

public sealed class ResourceScannerTests
{
    private static ResourceHeader Scan(string json) => ResourceScanner.Scan(Encoding.UTF8.GetBytes(json));

    [Theory]
    [InlineData(new byte[] { 0xC3, 0x28 })]
    [InlineData(new byte[] { 0xFF })]
    [InlineData(new byte[] { 0xE2, 0x82 })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    public void Invalid_utf8_anywhere_is_refused_naming_its_byte_offset_and_nothing_of_the_content(byte[] bad)
    {
        foreach (var (before, after) in new[] { ("""{"resourceType":"Patient","id":"p1","name":[{"family":"Secret""", "\"}]}"), ("""{"resourceType":"Patient","id":"p""", "1\"}") })
        {
            byte[] json = [.. Encoding.UTF8.GetBytes(before), .. bad, .. Encoding.UTF8.GetBytes(after)];
            var e = Assert.Throws<InvalidResourceException>(() => ResourceScanner.Scan(json, checkStructure: false));
            Assert.Equal($"invalid UTF-8 at byte offset {before.Length}", e.Reason);
        }
    }

    [Fact]
    public void An_escaped_lone_surrogate_in_a_header_string_is_refused_not_thrown_as_another_exception()
    {
        var e = Assert.Throws<InvalidResourceException>(() => Scan("""{"resourceType":"Patient","id":"\uD800"}"""));
        Assert.StartsWith("a string is not valid Unicode", e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_type_id_version_last_updated_and_the_owning_patient()
    {
        var h = Scan("""{"resourceType":"Observation","id":"o1","meta":{"versionId":"3","lastUpdated":"2024-03-01T10:00:00+01:00"},"subject":{"reference":"Patient/p7"},"performer":[{"reference":"Practitioner/x"}]}""");
        Assert.Equal(new ResourceHeader("Observation", "o1", "3", new DateTimeOffset(2024, 3, 1, 10, 0, 0, TimeSpan.FromHours(1)), "p7"), h);
        Assert.Equal("Observation/o1", h.Key);
    }

    [Fact]
    public void A_patient_owns_itself_and_properties_may_come_in_any_order()
    {
        var h = Scan("""{"id":"p1","gender":"female","resourceType":"Patient"}""");
        Assert.Equal("p1", h.PatientId);
    }

    [Fact]
    public void The_owner_follows_the_compartment_paths_in_order_through_arrays()
    {
        var appointment = Scan("""{"resourceType":"Appointment","id":"a","status":"booked","participant":[{"actor":{"reference":"Practitioner/d"},"status":"accepted"},{"actor":{"reference":"Patient/p2"},"status":"accepted"}]}""");
        Assert.Equal("p2", appointment.PatientId);
        var allergy = Scan("""{"resourceType":"AllergyIntolerance","id":"x","asserter":{"reference":"Patient/other"},"patient":{"reference":"Patient/p3/_history/2"}}""");
        Assert.Equal("p3", allergy.PatientId);
    }

    [Fact]
    public void References_inside_contained_resources_and_in_non_compartment_elements_do_not_make_an_owner()
    {
        var h = Scan("""{"resourceType":"Observation","id":"o","contained":[{"resourceType":"Observation","id":"c","subject":{"reference":"Patient/hidden"}}],"focus":[{"reference":"Patient/focus"}]}""");
        Assert.Null(h.PatientId);
        Assert.Null(Scan("""{"resourceType":"Organization","id":"org","partOf":{"reference":"Patient/odd"}}""").PatientId);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[1,2]", "expected a JSON object")]
    [InlineData("""{"id":"x"}""", "no resourceType")]
    [InlineData("""{"resourceType":"Banana","id":"x"}""", "unknown resourceType 'Banana'")]
    [InlineData("""{"resourceType":"Patient"}""", "Patient has no id")]
    [InlineData("""{"resourceType":"Patient","id":"has space"}""", "is not a FHIR id")]
    [InlineData("""{"resourceType":"Patient","id":7}""", "id must be a string")]
    [InlineData("""{"resourceType":"Patient","id":"p","meta":{"lastUpdated":"yesterday"}}""", "is not a FHIR instant")]
    [InlineData("""{"resourceType":"Patient","id":"p",""", "not valid JSON")]
    public void Invalid_payloads_are_refused_with_the_reason(string json, string reason)
    {
        var e = Assert.Throws<InvalidResourceException>(() => Scan(json));
        Assert.Contains(reason, e.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_location_is_added_to_the_message()
    {
        var e = new InvalidResourceException("Patient has no id").At("Patient.000.ndjson", 12);
        Assert.Equal("Patient.000.ndjson, line 12: Patient has no id", e.Message);
        Assert.Equal(12, e.Line);
    }

    [Fact]
    public async Task Every_resource_of_a_real_bulk_export_scans_and_gets_the_patient_its_subject_names()
    {
        var folder = RepoPaths.TestData("fhir", "bulk-10-patients");
        var scanned = 0;
        var owned = 0;
        foreach (var file in Directory.GetFiles(folder, "*.000.ndjson"))
        {
            await using var stream = NdjsonReader.OpenFile(file);
            await foreach (var line in NdjsonReader.ReadAsync(stream))
            {
                var header = ResourceScanner.Scan(line.Json.Span);
                scanned++;
                using var doc = JsonDocument.Parse(line.Json);
                var root = doc.RootElement;
                Assert.Equal(root.GetProperty("resourceType").GetString(), header.ResourceType);
                Assert.Equal(root.GetProperty("id").GetString(), header.Id);
                string? expected = header.ResourceType == "Patient" ? header.Id
                    : root.TryGetProperty("subject", out var s) ? s.GetProperty("reference").GetString()!["Patient/".Length..]
                    : root.TryGetProperty("patient", out var p) ? p.GetProperty("reference").GetString()!["Patient/".Length..]
                    : null;
                Assert.Equal(expected, header.PatientId);
                owned += header.PatientId is null ? 0 : 1;
            }
        }

        Assert.True(scanned > 7000, $"{scanned} resources");
        Assert.True(owned > 6000, $"{owned} with a patient");
    }
}
