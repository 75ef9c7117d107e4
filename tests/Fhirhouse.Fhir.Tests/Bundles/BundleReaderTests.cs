using System.Text;
using System.Text.Json;
using Fhirhouse.Fhir.Bundles;
using Fhirhouse.Fhir.Resources;

namespace Fhirhouse.Fhir.Tests.Bundles;

public sealed class BundleReaderTests
{
    private const string Transaction = """
        {"resourceType":"Bundle","type":"transaction","entry":[
          {"fullUrl":"urn:uuid:11111111-1111-4111-8111-111111111111","resource":{"resourceType":"Patient","name":[{"family":"Dupont"}]},"request":{"method":"POST","url":"Patient"}},
          {"fullUrl":"urn:uuid:22222222-2222-4222-8222-222222222222","resource":{"resourceType":"Encounter","id":"e1","status":"finished","subject":{"reference":"urn:uuid:11111111-1111-4111-8111-111111111111"}},"request":{"method":"POST","url":"Encounter"}},
          {"fullUrl":"urn:uuid:33333333-3333-4333-8333-333333333333","resource":{"resourceType":"Observation","id":"o1","status":"final","code":{"text":"x"},"subject":{"reference":"urn:uuid:11111111-1111-4111-8111-111111111111"},"encounter":{"reference":"urn:uuid:22222222-2222-4222-8222-222222222222"},"performer":[{"reference":"Practitioner/keep"}]},"request":{"method":"POST","url":"Observation"}},
          {"request":{"method":"DELETE","url":"Observation/old?x=1"}}
        ]}
        """;

    [Fact]
    public void Urn_uuid_references_become_type_and_id_and_entries_without_id_take_their_uuid()
    {
        var bundle = BundleReader.Read(Encoding.UTF8.GetBytes(Transaction));
        var entries = bundle.Entries;
        Assert.Equal("transaction", bundle.Type);
        Assert.Equal(["Patient/11111111-1111-4111-8111-111111111111", "Encounter/e1", "Observation/o1", "Observation/old"], entries.Select(e => e.Key));
        using var observation = JsonDocument.Parse(entries[2].Resource!);
        Assert.Equal("Patient/11111111-1111-4111-8111-111111111111", observation.RootElement.GetProperty("subject").GetProperty("reference").GetString());
        Assert.Equal("Encounter/e1", observation.RootElement.GetProperty("encounter").GetProperty("reference").GetString());
        Assert.Equal("Practitioner/keep", observation.RootElement.GetProperty("performer")[0].GetProperty("reference").GetString());
        Assert.Equal("11111111-1111-4111-8111-111111111111", ResourceScanner.Scan(entries[2].Resource).PatientId);
    }

    [Fact]
    public void A_delete_entry_carries_the_key_and_no_resource()
    {
        var entries = BundleReader.Read(Encoding.UTF8.GetBytes(Transaction)).Entries;
        Assert.True(entries[3].IsDelete);
        Assert.Null(entries[3].Resource);
        Assert.Equal("POST", entries[0].Method);
    }

    [Theory]
    [InlineData("""{"resourceType":"Patient","id":"p"}""", "not a Bundle")]
    [InlineData("""{"resourceType":"Bundle","entry":[]}""", "Bundle has no type")]
    [InlineData("""{"resourceType":"Bundle","type":"collection","entry":[{"fullUrl":"x"}]}""", "entry[0] has no resource")]
    [InlineData("""{"resourceType":"Bundle","type":"batch","entry":[{"request":{"method":"DELETE"}}]}""", "entry[0] is a DELETE without request.url")]
    [InlineData("""{"resourceType":"Bundle""", "not valid JSON")]
    public void Malformed_bundles_are_refused_naming_the_entry(string json, string reason)
    {
        var e = Assert.Throws<InvalidResourceException>(() => BundleReader.Read(Encoding.UTF8.GetBytes(json)));
        Assert.Contains(reason, e.Reason, StringComparison.Ordinal);
    }
}
