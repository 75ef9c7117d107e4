namespace Fhirhouse.Storage;

/// <summary>Conveniences over <see cref="IObjectStore"/> for small objects.</summary>
public static class ObjectStoreExtensions
{
    /// <summary>Reads the whole object into memory.</summary>
    public static async Task<byte[]> ReadAllBytesAsync(this IObjectStore store, string key, CancellationToken cancellationToken = default)
    {
        await using var stream = await store.OpenReadAsync(key, cancellationToken).ConfigureAwait(false);
        var buffer = new byte[stream.Length];
        await stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer;
    }

    /// <summary>Writes the bytes, replacing any previous content.</summary>
    public static async Task PutAsync(this IObjectStore store, string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        await using var stream = new ReadOnlyMemoryStream(content);
        await store.PutAsync(key, stream, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the bytes only if the key is free; false when it was taken.</summary>
    public static async Task<bool> PutIfAbsentAsync(this IObjectStore store, string key, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        await using var stream = new ReadOnlyMemoryStream(content);
        return await store.PutIfAbsentAsync(key, stream, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>True when the object exists.</summary>
    public static async Task<bool> ExistsAsync(this IObjectStore store, string key, CancellationToken cancellationToken = default) =>
        await store.GetInfoAsync(key, cancellationToken).ConfigureAwait(false) is not null;
}
