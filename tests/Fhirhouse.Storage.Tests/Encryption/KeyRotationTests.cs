using Fhirhouse.Storage.Keys;

namespace Fhirhouse.Storage.Tests.Encryption;

public sealed class KeyRotationTests : IDisposable
{
    private readonly KeyringFixture _lake = new();

    public void Dispose() => _lake.Dispose();

    [Fact]
    public async Task Rewrap_changes_only_headers_and_then_the_old_version_can_be_retired()
    {
        var data = new byte[200_000];
        new Random(3).NextBytes(data);
        await _lake.Store.PutAsync("t/a.parquet", data);
        await _lake.Store.PutAsync("t/_delta_log/0.json", "{\"commitInfo\":{}}"u8.ToArray());
        var before = await File.ReadAllBytesAsync(_lake.FileOf("t/a.parquet"));
        var keptCopy = Path.Combine(_lake.Root, "old-copy");
        File.Copy(_lake.FileOf("t/a.parquet"), keptCopy);
        await _lake.Keyring.RotateAsync("lake");

        Assert.Equal([new KeyUsage("lake", 1, 2)], await _lake.Store.GetKeyUsageAsync());
        Assert.Equal(2, await _lake.Store.RewrapAsync());
        Assert.Equal(0, await _lake.Store.RewrapAsync());

        var after = await File.ReadAllBytesAsync(_lake.FileOf("t/a.parquet"));
        Assert.Equal(before.Length, after.Length);
        Assert.Equal(before[512..], after[512..]);
        Assert.NotEqual(before[..512], after[..512]);
        Assert.Equal(data, await _lake.Store.ReadAllBytesAsync("t/a.parquet"));
        Assert.Equal([new KeyUsage("lake", 2, 2)], await _lake.Store.GetKeyUsageAsync());

        Assert.Equal([new KeyUsage("lake", 1, 0)], await _lake.Store.RetireUnusedKeyVersionsAsync());
        Assert.Equal([2], Assert.Single(await _lake.Keyring.ListAsync()).Versions);
        Assert.Equal(data, await _lake.Store.ReadAllBytesAsync("t/a.parquet"));

        File.Copy(keptCopy, _lake.FileOf("t/a.parquet"), overwrite: true);
        var error = await Assert.ThrowsAsync<KeyUnavailableException>(() => _lake.Store.ReadAllBytesAsync("t/a.parquet"));
        Assert.Equal((int?)1, error.KekVersion);
        Assert.Contains("retired", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_version_still_in_use_is_not_retired()
    {
        await _lake.Store.PutAsync("t/a", "x"u8.ToArray());
        await _lake.Keyring.RotateAsync("lake");

        Assert.Empty(await _lake.Store.RetireUnusedKeyVersionsAsync());
        Assert.Equal([1, 2], Assert.Single(await _lake.Keyring.ListAsync()).Versions);
        Assert.Equal("x"u8.ToArray(), await _lake.Store.ReadAllBytesAsync("t/a"));
    }
}
