using Fhirhouse.Lake.Erasure;
using System.Text;
using System.Text.Json;
using Fhirhouse.Governance.Erasure;

namespace Fhirhouse.Governance.Tests.Erasure;

public sealed class PatientMatcherTests
{
    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void A_bundle_entry_that_is_not_utf8_is_stripped_when_its_bytes_name_the_patient_and_kept_otherwise()
    {
        byte[] bundle =
        [
            .. Utf8("""{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient","id":"p1"}},"""),
            .. Utf8("""{"resource":{"resourceType":"Observation","id":"o1","subject":{"reference":"Patient/p1"},"note":[{"text":"a"""), 0xFF, .. Utf8("\"}]}},"),
            .. Utf8("""{"resource":{"resourceType":"Observation","id":"o2","subject":{"reference":"Patient/p2"},"note":[{"text":"b"""), 0xFF, .. Utf8("\"}]}}]}"),
        ];

        var stripped = new PatientMatcher("p1", []).Strip(bundle, out var removed);

        Assert.Equal(2, removed);
        using var left = JsonDocument.Parse(stripped);
        var entry = Assert.Single(left.RootElement.GetProperty("entry").EnumerateArray());
        Assert.Equal("o2", entry.GetProperty("resource").GetProperty("id").GetString());
    }
}
