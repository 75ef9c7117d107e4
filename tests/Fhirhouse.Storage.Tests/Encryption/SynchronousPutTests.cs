using Fhirhouse.Storage.Encryption;
using Fhirhouse.Storage.Local;

namespace Fhirhouse.Storage.Tests.Encryption;

public sealed class SynchronousPutTests : IDisposable
{
    private readonly KeyringFixture _lake = new();

    public void Dispose() => _lake.Dispose();

    /// <summary>A store whose put copies the content synchronously (as some SDKs do) before storing it.</summary>
    private sealed class SynchronouslyCopyingStore(LocalObjectStore inner) : IObjectStore
    {
        public IAsyncEnumerable<ObjectInfo> ListAsync(string prefix, CancellationToken cancellationToken = default) => inner.ListAsync(prefix, cancellationToken);

        public Task<ObjectInfo?> GetInfoAsync(string key, CancellationToken cancellationToken = default) => inner.GetInfoAsync(key, cancellationToken);

        public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default) => inner.OpenReadAsync(key, cancellationToken);

        public Task<int> ReadRangeAsync(string key, long offset, Memory<byte> destination, CancellationToken cancellationToken = default) =>
            inner.ReadRangeAsync(key, offset, destination, cancellationToken);

        public Task PutAsync(string key, Stream content, CancellationToken cancellationToken = default)
        {
            var copy = new MemoryStream();
            content.CopyTo(copy);
            copy.Position = 0;
            return inner.PutAsync(key, copy, cancellationToken);
        }

        public Task<bool> PutIfAbsentAsync(string key, Stream content, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task DeleteAsync(string key, CancellationToken cancellationToken = default) => inner.DeleteAsync(key, cancellationToken);
    }

    /// <summary>A plaintext source that can only be read synchronously: an asynchronous read would be sync-over-async above it.</summary>
    private sealed class SyncOnlySource(byte[] data) : MemoryStream(data, writable: false)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("read asynchronously");

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("read asynchronously");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(65_536)]
    [InlineData(65_537)]
    [InlineData((3 * 65_536) + 100)]
    public async Task A_store_that_reads_the_content_synchronously_gets_it_encrypted_from_synchronous_source_reads(int length)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        var store = new EncryptedObjectStore(new SynchronouslyCopyingStore(_lake.Plain), _lake.Keyring);

        await store.PutAsync("t/sync", new SyncOnlySource(data));

        Assert.Equal(data, await _lake.Store.ReadAllBytesAsync("t/sync"));
    }
}
