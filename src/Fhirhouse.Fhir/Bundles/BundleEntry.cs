namespace Fhirhouse.Fhir.Bundles;

/// <summary>
/// One entry of a Bundle, ready to land: the resource as compact UTF-8 JSON with <c>urn:uuid:</c> references rewritten
/// to <c>Type/id</c> (null for a DELETE), the request method (GET, POST, PUT, DELETE; null outside transactions and
/// batches), the key it is about ("Observation/123"), and when the server says it happened (a history entry's
/// <c>response.lastModified</c>).
/// </summary>
public sealed record BundleEntry(int Index, string? Method, string? Key, byte[]? Resource, DateTimeOffset? LastModified = null)
{
    /// <summary>True for a transaction, batch or history entry that deletes <see cref="Key"/>.</summary>
    public bool IsDelete => string.Equals(Method, "DELETE", StringComparison.Ordinal);
}
