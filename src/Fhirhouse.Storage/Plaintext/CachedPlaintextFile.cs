namespace Fhirhouse.Storage.Plaintext;

/// <summary>One decrypted object held by <see cref="PlaintextFileCache"/>: its memory file, recency node and lease count.</summary>
internal sealed class CachedPlaintextFile(string key, ObjectInfo version, MemoryFile file, LinkedListNode<string> node)
{
    public string Key { get; } = key;

    /// <summary>The object's listing (size, modification time) when it was decrypted.</summary>
    public ObjectInfo Version { get; } = version;

    public MemoryFile File { get; } = file;

    public LinkedListNode<string> Node { get; } = node;

    public int Leases { get; set; }

    /// <summary>Out of the cache; its file closes when the last lease ends.</summary>
    public bool Detached { get; set; }
}
