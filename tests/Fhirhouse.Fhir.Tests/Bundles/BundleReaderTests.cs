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

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void An_entry_with_invalid_utf8_is_refused_with_the_offset_and_its_bytes_and_the_other_entries_are_read()
    {
        byte[] bad = [.. Utf8("""{"resource":{"resourceType":"Patient","id":"p2","name":[{"family":"Du"""), 0xC3, 0x28, .. Utf8("""nt"}]}}""")];
        byte[] json =
        [
            .. Utf8("""{"resourceType":"Bundle","type":"collection","entry":[{"fullUrl":"urn:uuid:aaaaaaaa-0000-4000-8000-000000000001","resource":{"resourceType":"Patient","id":"p1"}},"""),
            .. bad,
            .. Utf8(""",{"resource":{"resourceType":"Observation","id":"o1","subject":{"reference":"urn:uuid:aaaaaaaa-0000-4000-8000-000000000001"}}}]}"""),
        ];

        var entries = BundleReader.Read(json).Entries;

        Assert.Equal([0, 1, 2], entries.Select(e => e.Index));
        Assert.Equal($"invalid UTF-8 at byte offset {Array.IndexOf(json, (byte)0xC3)} of the Bundle", entries[1].Error);
        Assert.Null(entries[1].Resource);
        Assert.Equal(bad, entries[1].Received);
        Assert.Null(entries[0].Error);
        Assert.Null(entries[2].Error);
        Assert.Equal("Patient/p1", JsonDocument.Parse(entries[2].Resource!).RootElement.GetProperty("subject").GetProperty("reference").GetString());
    }

    [Fact]
    public void Invalid_utf8_outside_the_entries_refuses_the_whole_bundle_naming_the_offset()
    {
        byte[] json = [.. Utf8("""{"resourceType":"Bundle","id":"b"""), 0xFF, .. Utf8("\",\"type\":\"collection\",\"entry\":[{\"resource\":{\"resourceType\":\"Patient\",\"id\":\"p1\"}}]}")];
        var e = Assert.Throws<InvalidResourceException>(() => BundleReader.Read(json));
        Assert.Equal($"invalid UTF-8 at byte offset {Array.IndexOf(json, (byte)0xFF)} of the Bundle, outside its entries", e.Reason);
    }

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
