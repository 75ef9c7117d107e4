using Fhirhouse.Storage.Encryption;

namespace Fhirhouse.Storage.Tests.Encryption;

public sealed class TamperDetectionTests : IDisposable
{
    private const int Segment = 64 * 1024;
    private const int Sealed = Segment + 16;
    private const int Header = 512;
    private readonly KeyringFixture _lake = new();
    private readonly byte[] _data = new byte[(3 * Segment) + 1000];

    public TamperDetectionTests() => new Random(42).NextBytes(_data);

    public void Dispose() => _lake.Dispose();

    private async Task<string> WriteAsync(string key = "t/part-0.parquet", byte[]? data = null)
    {
        await _lake.Store.PutAsync(key, data ?? _data);
        return _lake.FileOf(key);
    }

    private async Task<TamperedObjectException> ReadFailsAsync(string key = "t/part-0.parquet")
    {
        var error = await Assert.ThrowsAsync<TamperedObjectException>(() => _lake.Store.ReadAllBytesAsync(key));
        Assert.Equal(key, error.Key);
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        return error;
    }

    public static TheoryData<int, string> FlipOffsets => new()
    {
        { 0, "magic" },
        { 4, "format version" },
        { 5, "algorithm" },
        { 8, "nonce prefix" },
        { 30, "wrapped data key" },
        { 300, "header padding" },
        { 500, "header MAC" },
        { Header + 10, "first segment data" },
        { Header + Segment + 3, "first segment tag" },
        { Header + Sealed + 77, "second segment" },
        { Header + (3 * Sealed) + 999, "last segment data" },
        { Header + (3 * Sealed) + 1010, "last segment tag" },
    };

    [Theory]
    [MemberData(nameof(FlipOffsets))]
    public async Task A_flipped_bit_anywhere_is_reported_as_tampering(int offset, string where)
    {
        var path = await WriteAsync();
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[offset] ^= 0x01;
        await File.WriteAllBytesAsync(path, bytes);

        var error = await ReadFailsAsync();
        Assert.False(string.IsNullOrEmpty(error.Reason), where);
    }

    [Theory]
    [InlineData(15)]
    [InlineData(19)]
    public async Task A_flipped_bit_in_the_key_id_or_kek_version_reads_as_a_missing_key_naming_the_object(int offset)
    {
        var path = await WriteAsync();
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[offset] ^= 0x01;
        await File.WriteAllBytesAsync(path, bytes);

        var error = await Assert.ThrowsAsync<Fhirhouse.Storage.Keys.KeyUnavailableException>(() => _lake.Store.ReadAllBytesAsync("t/part-0.parquet"));
        Assert.Equal("t/part-0.parquet", error.ObjectKey);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(500)]
    [InlineData(Sealed)]
    [InlineData(Sealed + 1000 + 16)]
    [InlineData((3 * Sealed) + 1016 - 1)]
    public async Task Truncation_is_reported_as_tampering(int bytesCut)
    {
        var path = await WriteAsync();
        var bytes = await File.ReadAllBytesAsync(path);
        await File.WriteAllBytesAsync(path, bytes[..^bytesCut]);

        await ReadFailsAsync();
    }

    [Fact]
    public async Task Truncation_at_a_segment_boundary_is_caught_by_the_last_segment_flag()
    {
        var path = await WriteAsync();
        var bytes = await File.ReadAllBytesAsync(path);
        await File.WriteAllBytesAsync(path, bytes[..(Header + (2 * Sealed))]);

        Assert.Equal(2 * Segment, (await _lake.Store.GetInfoAsync("t/part-0.parquet"))!.Size);
        var error = await ReadFailsAsync();
        Assert.Contains("segment 1", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(Sealed)]
    public async Task Appended_bytes_are_reported_as_tampering(int appended)
    {
        var path = await WriteAsync();
        await using (var file = new FileStream(path, FileMode.Append))
        {
            file.Write(new byte[appended]);
        }

        await ReadFailsAsync();
    }

    [Fact]
    public async Task Reordered_segments_are_reported_as_tampering()
    {
        var path = await WriteAsync();
        var bytes = await File.ReadAllBytesAsync(path);
        var first = bytes.AsSpan(Header, Sealed).ToArray();
        bytes.AsSpan(Header + Sealed, Sealed).CopyTo(bytes.AsSpan(Header, Sealed));
        first.CopyTo(bytes.AsSpan(Header + Sealed, Sealed));
        await File.WriteAllBytesAsync(path, bytes);

        var error = await ReadFailsAsync();
        Assert.Contains("segment 0", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Swapping_two_objects_is_reported_as_tampering_for_both()
    {
        var a = await WriteAsync("t/a.parquet");
        var b = await WriteAsync("t/b.parquet", _data.Reverse().ToArray());
        var aBytes = await File.ReadAllBytesAsync(a);
        await File.WriteAllBytesAsync(a, await File.ReadAllBytesAsync(b));
        await File.WriteAllBytesAsync(b, aBytes);

        await ReadFailsAsync("t/a.parquet");
        await ReadFailsAsync("t/b.parquet");
    }

    [Fact]
    public async Task A_plaintext_file_in_the_lake_is_not_returned_as_data()
    {
        await _lake.Plain.PutAsync("t/planted.json", new byte[2000]);

        var error = await ReadFailsAsync("t/planted.json");
        Assert.Contains("magic", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tampered_segment_fails_a_ranged_read_that_touches_it_and_never_returns_its_bytes()
    {
        var path = await WriteAsync();
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[Header + Sealed + 5] ^= 0x80;
        await File.WriteAllBytesAsync(path, bytes);

        var buffer = new byte[100];
        Assert.Equal(100, await _lake.Store.ReadRangeAsync("t/part-0.parquet", 10, buffer));
        Assert.Equal(_data[10..110], buffer);
        var second = new byte[100];
        await Assert.ThrowsAsync<TamperedObjectException>(() => _lake.Store.ReadRangeAsync("t/part-0.parquet", Segment + 1, second));
        Assert.All(second, b => Assert.Equal(0, b));
    }

    [Fact]
    public async Task An_empty_object_is_authenticated_on_open()
    {
        var path = await WriteAsync("t/empty", []);
        var bytes = await File.ReadAllBytesAsync(path);
        bytes[^1] ^= 1;
        await File.WriteAllBytesAsync(path, bytes);

        await Assert.ThrowsAsync<TamperedObjectException>(() => _lake.Store.OpenReadAsync("t/empty"));
    }
}
