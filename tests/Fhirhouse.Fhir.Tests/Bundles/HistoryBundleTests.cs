using System.Text;
using Fhirhouse.Fhir.Bundles;

namespace Fhirhouse.Fhir.Tests.Bundles;

public sealed class HistoryBundleTests
{
    private const string History = """
        {"resourceType":"Bundle","type":"history","entry":[
          {"fullUrl":"http://srv/fhir/Patient/a","request":{"method":"DELETE","url":"Patient/a"},"response":{"status":"410 Gone","lastModified":"2024-03-01T10:00:00.000Z"}},
          {"fullUrl":"http://srv/fhir/Patient/b","response":{"status":"410","location":"Patient/b/_history/3","lastModified":"2024-03-02T10:00:00Z"}},
          {"fullUrl":"http://srv/fhir/Observation/c","response":{"status":"410 Gone"}},
          {"fullUrl":"http://srv/fhir/Patient/d","resource":{"resourceType":"Patient","id":"d"},"request":{"method":"PUT","url":"Patient/d"},"response":{"status":"200 OK","lastModified":"2024-03-03T10:00:00Z"}}]}
        """;

    [Fact]
    public void History_deletions_with_or_without_a_request_become_deletes_with_their_last_modified_time()
    {
        var entries = BundleReader.Read(Encoding.UTF8.GetBytes(History)).Entries;

        Assert.Equal(["Patient/a", "Patient/b", "Observation/c"], entries.Where(e => e.IsDelete).Select(e => e.Key));
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 10, 0, 0, TimeSpan.Zero), entries[0].LastModified);
        Assert.Equal(new DateTimeOffset(2024, 3, 2, 10, 0, 0, TimeSpan.Zero), entries[1].LastModified);
        Assert.Null(entries[2].LastModified);
        Assert.False(entries[3].IsDelete);
        Assert.Equal("Patient/d", entries[3].Key);
    }
}
