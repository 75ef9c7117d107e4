using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Fhirhouse.Storage.Encryption;

/// <summary>
/// Constants and arithmetic of the encrypted object format, version 1 (docs/encryption.md):
/// a 512-byte header, then the plaintext in 64 KiB segments, each followed by its 16-byte GCM tag.
/// </summary>
internal static class EnvelopeFormat
{
    public const byte Version1 = 1;
    public const byte AlgorithmAes256GcmHkdfSha256 = 1;
    public const int HeaderSize = 512;
    public const int MacOffset = HeaderSize - MacSize;
    public const int MacSize = 32;
    public const int LakeIdSize = 16;
    public const int LakeIdOffset = MacOffset - LakeIdSize;
    public const int BindingSize = 13;
    public const int NoncePrefixOffset = 6;
    public const int NoncePrefixSize = 7;
    public const int KeyIdLengthOffset = 13;
    public const int MaxKeyIdBytes = 128;
    public const int SegmentSize = 64 * 1024;
    public const int TagSize = 16;
    public const int CiphertextSegmentSize = SegmentSize + TagSize;
    public const int DataKeySize = 32;
    public const int NonceSize = 12;

    public static ReadOnlySpan<byte> Magic => "FHLE"u8;

    private static ReadOnlySpan<byte> SegmentKeyInfo => "fhirhouse/v1 segment key"u8;

    private static ReadOnlySpan<byte> MacKeyInfo => "fhirhouse/v1 header mac key"u8;

    /// <summary>How many segments hold <paramref name="plaintextLength"/> bytes (an empty object has one empty segment).</summary>
    public static long SegmentCount(long plaintextLength) =>
        plaintextLength == 0 ? 1 : (plaintextLength + SegmentSize - 1) / SegmentSize;

    public static long CiphertextLength(long plaintextLength) =>
        HeaderSize + plaintextLength + (SegmentCount(plaintextLength) * TagSize);

    /// <summary>The plaintext length of a well-formed object of <paramref name="ciphertextLength"/> bytes; false when no plaintext has that size.</summary>
    public static bool TryPlaintextLength(long ciphertextLength, out long plaintextLength)
    {
        plaintextLength = -1;
        var body = ciphertextLength - HeaderSize;
        if (body < TagSize)
        {
            return false;
        }

        var segments = (body + CiphertextSegmentSize - 1) / CiphertextSegmentSize;
        var last = body - ((segments - 1) * CiphertextSegmentSize);
        if (segments > 1 && last <= TagSize)
        {
            return false;
        }

        plaintextLength = body - (segments * TagSize);
        return true;
    }

    /// <summary>nonce = prefix (7 bytes) || segment counter (uint32 big-endian) || last-segment flag (0 or 1).</summary>
    public static void Nonce(ReadOnlySpan<byte> prefix, uint counter, bool last, Span<byte> nonce)
    {
        prefix.CopyTo(nonce);
        BinaryPrimitives.WriteUInt32BigEndian(nonce[NoncePrefixSize..], counter);
        nonce[NonceSize - 1] = last ? (byte)1 : (byte)0;
    }

    /// <summary>The segment key and the header MAC key, both HKDF-SHA256-expanded from the object's data key.</summary>
    public static (byte[] SegmentKey, byte[] MacKey) DeriveKeys(ReadOnlySpan<byte> dataKey)
    {
        var segmentKey = new byte[32];
        var macKey = new byte[32];
        HKDF.Expand(HashAlgorithmName.SHA256, dataKey, segmentKey, SegmentKeyInfo);
        HKDF.Expand(HashAlgorithmName.SHA256, dataKey, macKey, MacKeyInfo);
        return (segmentKey, macKey);
    }
}
