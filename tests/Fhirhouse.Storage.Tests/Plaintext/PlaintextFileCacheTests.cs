using System.Text;
using Fhirhouse.Storage.Encryption;
using Fhirhouse.Storage.Plaintext;
using Fhirhouse.Storage.Tests.Encryption;

namespace Fhirhouse.Storage.Tests.Plaintext;

public sealed class PlaintextFileCacheTests : IDisposable
{
    private readonly KeyringFixture _lake = new();

    public void Dispose() => _lake.Dispose();

    private static byte[] Payload(string marker, int size)
    {
        var data = new byte[size];
        new Random(size).NextBytes(data);
        var bytes = Encoding.ASCII.GetBytes(marker);
        for (var at = 0; at + bytes.Length < size; at += 10_000)
        {
            bytes.CopyTo(data, at);
        }

        return data;
    }

    [Fact]
    public async Task A_leased_object_is_readable_by_path_and_its_plaintext_reaches_neither_the_lake_nor_the_temp_folder()
    {
        var started = DateTime.UtcNow.AddSeconds(-2);
        var marker = "MARKER-" + Guid.NewGuid().ToString("N");
        var data = Payload(marker, 300_000);
        await _lake.Store.PutAsync("silver/patient/part-0.parquet", data);
        using var cache = new PlaintextFileCache(_lake.Store, 10_000_000);

        using (var lease = await cache.OpenAsync("silver/patient/part-0.parquet"))
        {
            Assert.StartsWith("/proc/self/fd/", lease.Path, StringComparison.Ordinal);
            Assert.Equal(data, await File.ReadAllBytesAsync(lease.Path));
            Assert.Equal(data.Length, lease.Length);
            Assert.ThrowsAny<SystemException>(() =>
            {
                using var writer = new FileStream(lease.Path, FileMode.Open, FileAccess.Write);
                writer.WriteByte(1);
                writer.Flush();
            });
            Assert.Equal(data, await File.ReadAllBytesAsync(lease.Path));

            var needle = Encoding.ASCII.GetBytes(marker);
            var holders = new[] { _lake.Root, Path.GetTempPath() }
                .SelectMany(root => new DirectoryInfo(root).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }))
                // Length >= the marker also skips FIFOs and sockets (length 0), which would block a read.
                .Where(f => f.LastWriteTimeUtc >= started && f.Length >= needle.Length && f.Length < 100_000_000 && f.LinkTarget is null)
                .Where(f => Contains(f.FullName, needle))
                .Select(f => f.FullName)
                .ToList();
            Assert.Empty(holders);
        }
    }

    [Fact]
    public async Task The_cache_is_bounded_evicting_the_least_recently_used_unleased_file()
    {
        for (var i = 0; i < 4; i++)
        {
            await _lake.Store.PutAsync($"t/{i}", new byte[100_000]);
        }

        using var cache = new PlaintextFileCache(_lake.Store, 250_000);
        (await cache.OpenAsync("t/0")).Dispose();
        (await cache.OpenAsync("t/1")).Dispose();
        (await cache.OpenAsync("t/0")).Dispose();
        (await cache.OpenAsync("t/2")).Dispose();

        Assert.Equal(200_000, cache.CachedBytes);
        Assert.Equal(3, cache.Decryptions);
        (await cache.OpenAsync("t/0")).Dispose();
        Assert.Equal(3, cache.Decryptions);
        (await cache.OpenAsync("t/1")).Dispose();
        Assert.Equal(4, cache.Decryptions);
    }

    [Fact]
    public async Task A_leased_file_is_never_evicted()
    {
        await _lake.Store.PutAsync("a", new byte[100_000]);
        await _lake.Store.PutAsync("b", new byte[100_000]);
        using var cache = new PlaintextFileCache(_lake.Store, 150_000);

        var a = await cache.OpenAsync("a");
        using (var b = await cache.OpenAsync("b"))
        {
            Assert.Equal(100_000, (await File.ReadAllBytesAsync(a.Path)).Length);
            Assert.Equal(200_000, cache.CachedBytes);
        }

        Assert.Equal(100_000, cache.CachedBytes);
        Assert.Equal(100_000, (await File.ReadAllBytesAsync(a.Path)).Length);
        a.Dispose();
    }

    [Fact]
    public async Task A_tampered_object_is_never_cached()
    {
        await _lake.Store.PutAsync("t/x", new byte[1000]);
        var path = _lake.FileOf("t/x");
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[700] ^= 1;
        await File.WriteAllBytesAsync(path, bytes);
        using var cache = new PlaintextFileCache(_lake.Store, 1_000_000);

        await Assert.ThrowsAsync<TamperedObjectException>(() => cache.OpenAsync("t/x"));
        Assert.Equal(0, cache.CachedBytes);
    }

    private static bool Contains(string path, byte[] needle)
    {
        try
        {
            return File.ReadAllBytes(path).AsSpan().IndexOf(needle) >= 0;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    [Fact]
    public async Task A_rewritten_object_is_decrypted_again_and_old_leases_keep_the_old_bytes()
    {
        await _lake.Store.PutAsync("t/_last_checkpoint", "{\"version\":10}"u8.ToArray());
        using var cache = new PlaintextFileCache(_lake.Store, 1_000_000);
        using var old = await cache.OpenAsync("t/_last_checkpoint");

        await _lake.Store.PutAsync("t/_last_checkpoint", "{\"version\":200}"u8.ToArray());
        using var fresh = await cache.OpenAsync("t/_last_checkpoint");

        Assert.Equal("{\"version\":200}", await File.ReadAllTextAsync(fresh.Path));
        Assert.Equal("{\"version\":10}", await File.ReadAllTextAsync(old.Path));
        Assert.Equal(2, cache.Decryptions);
    }
}
