namespace Fhirhouse.Fhir.Bundles;

/// <summary>
/// One entry of a Bundle, ready to land: the resource as compact UTF-8 JSON with <c>urn:uuid:</c> references rewritten
/// to <c>Type/id</c> (null for a DELETE), the request method (GET, POST, PUT, DELETE; null outside transactions and
/// batches), the key it is about ("Observation/123"), and when the server says it happened (a history entry's
/// <c>response.lastModified</c>). An entry that cannot land (its bytes are not UTF-8) has no resource and says why in
/// <see cref="Error"/>, its bytes as received in <see cref="Received"/>.
/// </summary>
public sealed record BundleEntry(int Index, string? Method, string? Key, byte[]? Resource, DateTimeOffset? LastModified = null)
{
    /// <summary>True for a transaction, batch or history entry that deletes <see cref="Key"/>.</summary>
    public bool IsDelete => string.Equals(Method, "DELETE", StringComparison.Ordinal);

    /// <summary>Why the entry cannot land, or null when it can.</summary>
    public string? Error { get; init; }

    /// <summary>The entry's bytes as they are in the Bundle, for an entry that cannot land (null otherwise).</summary>
    public byte[]? Received { get; init; }

    /// <summary>An entry that cannot land, with the reason and its bytes as received.</summary>
    public static BundleEntry Refused(int index, string error, byte[] received) => new(index, null, null, null) { Error = error, Received = received };
}
