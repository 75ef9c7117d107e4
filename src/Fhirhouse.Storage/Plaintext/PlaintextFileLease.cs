namespace Fhirhouse.Storage.Plaintext;

/// <summary>
/// The right to use a decrypted object by <see cref="Path"/> (e.g. hand it to DuckDB) until disposed; while leased the
/// cache never evicts it.
/// </summary>
public sealed class PlaintextFileLease : IDisposable
{
    private readonly Action _release;
    private int _disposed;

    internal PlaintextFileLease(string key, string path, long length, Action release)
    {
        Key = key;
        Path = path;
        Length = length;
        _release = release;
    }

    /// <summary>The object key.</summary>
    public string Key { get; }

    /// <summary>A path valid in this process only (<c>/proc/self/fd/N</c>) to the plaintext in memory.</summary>
    public string Path { get; }

    /// <summary>The plaintext size in bytes.</summary>
    public long Length { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _release();
        }
    }
}
