namespace Fhirhouse.Storage;

/// <summary>
/// The contract every lake store honours (local disk, S3, and wrappers such as encryption).
/// Keys are relative, '/'-separated paths ("table/_delta_log/00000000000000000000.json").
/// </summary>
public interface IObjectStore
{
    /// <summary>Every object whose key starts with <paramref name="prefix"/>, in ordinal key order.</summary>
    IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>Size and modification time of one object, or null when it does not exist.</summary>
    Task<ObjectInfo?> GetInfoAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// A read-only, seekable stream over the object's content (its logical, plaintext bytes).
    /// Throws <see cref="ObjectNotFoundException"/> when the object does not exist.
    /// </summary>
    Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads up to <c>destination.Length</c> bytes starting at <paramref name="offset"/>; returns how many were
    /// read (fewer only at the end of the object).
    /// </summary>
    Task<int> ReadRangeAsync(string key, long offset, Memory<byte> destination, CancellationToken cancellationToken = default);

    /// <summary>Writes the object, replacing any previous content; the write is durable when the task completes.</summary>
    Task PutAsync(string key, Stream content, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes the object only if no object has that key; atomic across processes and durable.
    /// Returns false (and writes nothing) when the key already exists.
    /// </summary>
    Task<bool> PutIfAbsentAsync(string key, Stream content, CancellationToken cancellationToken = default);

    /// <summary>Deletes the object; deleting a missing object succeeds.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken = default);
}
