using Fhirhouse.Storage.Encryption;
using Fhirhouse.Storage.Keys;

namespace Fhirhouse.Storage.Tests.Encryption;

public sealed class EnvelopeFormatTests
{
    [Theory]
    [InlineData(0, 512 + 16)]
    [InlineData(1, 512 + 1 + 16)]
    [InlineData(65536, 512 + 65536 + 16)]
    [InlineData(65537, 512 + 65537 + 32)]
    [InlineData(3 * 65536, 512 + (3 * 65536) + 48)]
    public void Stored_size_and_plaintext_size_convert_both_ways(long plaintext, long stored)
    {
        Assert.Equal(stored, EnvelopeFormat.CiphertextLength(plaintext));
        Assert.True(EnvelopeFormat.TryPlaintextLength(stored, out var back));
        Assert.Equal(plaintext, back);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(511)]
    [InlineData(512 + 15)]
    [InlineData(512 + 65552 + 1)]
    [InlineData(512 + 65552 + 16)]
    public void Sizes_no_plaintext_produces_are_rejected(long stored)
    {
        Assert.False(EnvelopeFormat.TryPlaintextLength(stored, out _));
    }

    [Fact]
    public void Nonce_is_prefix_then_big_endian_counter_then_last_flag()
    {
        var nonce = new byte[12];
        EnvelopeFormat.Nonce([1, 2, 3, 4, 5, 6, 7], 0x01020304, last: true, nonce);

        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6, 7, 1, 2, 3, 4, 1 }, nonce);
    }

    [Fact]
    public void A_header_round_trips_and_its_layout_matches_the_documentation()
    {
        var macKey = new byte[32];
        var lakeId = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();
        var header = new EnvelopeHeader(new byte[] { 9, 9, 9, 9, 9, 9, 9 }, new WrappedDataKey("lake", 3, new byte[] { 0xAA, 0xBB }), lakeId).Write("t/a", macKey);

        Assert.Equal(512, header.Length);
        Assert.Equal("FHLE"u8.ToArray(), header[..4]);
        Assert.Equal(new byte[] { 1, 1 }, header[4..6]);
        Assert.Equal(4, header[13]);
        Assert.Equal("lake"u8.ToArray(), header[14..18]);
        Assert.Equal(new byte[] { 0, 0, 0, 3, 0, 2, 0xAA, 0xBB }, header[18..26]);
        Assert.All(header[26..464], b => Assert.Equal(0, b));
        Assert.Equal(lakeId, header[464..480]);
        var parsed = EnvelopeHeader.Parse("t/a", header);
        Assert.Equal(("lake", 3), (parsed.Wrapped.KeyId, parsed.Wrapped.KekVersion));
        Assert.Equal(lakeId, parsed.LakeId.ToArray());
        Assert.True(EnvelopeHeader.MacMatches(header, "t/a", macKey));
        Assert.False(EnvelopeHeader.MacMatches(header, "t/b", macKey));
    }

    [Fact]
    public void A_wrapped_key_too_long_for_the_header_is_refused_at_write()
    {
        var header = new EnvelopeHeader(new byte[7], new WrappedDataKey("lake", 1, new byte[461]), new byte[16]);

        var error = Assert.Throws<ArgumentException>(() => header.Write("t/a", new byte[32]));
        Assert.Contains("461 bytes", error.Message, StringComparison.Ordinal);
    }
}
