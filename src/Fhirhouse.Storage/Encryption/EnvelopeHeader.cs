using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Fhirhouse.Storage.Keys;

namespace Fhirhouse.Storage.Encryption;

/// <summary>
/// The parsed 512-byte header of an encrypted object (layout in docs/encryption.md). <see cref="LakeId"/> is the 16-byte
/// id of the lake the object belongs to, all zeros for an object written before lakes had ids (or outside a lake).
/// </summary>
internal sealed record EnvelopeHeader(ReadOnlyMemory<byte> NoncePrefix, WrappedDataKey Wrapped, ReadOnlyMemory<byte> LakeId)
{
    /// <summary>True when the header names no lake (all-zero lake id).</summary>
    public bool HasLakeId => LakeId.Span.IndexOfAnyExcept((byte)0) >= 0;

    /// <summary>Serialises the header for <paramref name="objectKey"/>, sealing it with HMAC-SHA256 under <paramref name="macKey"/>.</summary>
    public byte[] Write(string objectKey, ReadOnlySpan<byte> macKey)
    {
        var keyId = Encoding.UTF8.GetBytes(Wrapped.KeyId);
        var wrappedLength = Wrapped.Ciphertext.Length;
        if (keyId.Length is 0 or > EnvelopeFormat.MaxKeyIdBytes)
        {
            throw new ArgumentException($"Key id '{Wrapped.KeyId}' must be 1 to {EnvelopeFormat.MaxKeyIdBytes} UTF-8 bytes.");
        }

        var end = EnvelopeFormat.KeyIdLengthOffset + 1 + keyId.Length + 4 + 2 + wrappedLength;
        if (end > EnvelopeFormat.LakeIdOffset)
        {
            throw new ArgumentException(
                $"The wrapped data key of key '{Wrapped.KeyId}' is {wrappedLength} bytes: too long for the {EnvelopeFormat.HeaderSize}-byte header.");
        }

        var header = new byte[EnvelopeFormat.HeaderSize];
        EnvelopeFormat.Magic.CopyTo(header);
        header[4] = EnvelopeFormat.Version1;
        header[5] = EnvelopeFormat.AlgorithmAes256GcmHkdfSha256;
        NoncePrefix.Span.CopyTo(header.AsSpan(EnvelopeFormat.NoncePrefixOffset, EnvelopeFormat.NoncePrefixSize));
        var at = EnvelopeFormat.KeyIdLengthOffset;
        header[at++] = (byte)keyId.Length;
        keyId.CopyTo(header, at);
        at += keyId.Length;
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(at), Wrapped.KekVersion);
        at += 4;
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(at), (ushort)wrappedLength);
        at += 2;
        Wrapped.Ciphertext.Span.CopyTo(header.AsSpan(at));
        if (LakeId.Length != 0)
        {
            if (LakeId.Length != EnvelopeFormat.LakeIdSize)
            {
                throw new ArgumentException($"A lake id is {EnvelopeFormat.LakeIdSize} bytes (got {LakeId.Length}).");
            }

            LakeId.Span.CopyTo(header.AsSpan(EnvelopeFormat.LakeIdOffset));
        }

        ComputeMac(header, objectKey, macKey, header.AsSpan(EnvelopeFormat.MacOffset));
        return header;
    }

    /// <summary>Parses the header fields; throws <see cref="TamperedObjectException"/> when they are not well formed.</summary>
    public static EnvelopeHeader Parse(string objectKey, ReadOnlySpan<byte> header)
    {
        if (header.Length != EnvelopeFormat.HeaderSize || !header[..4].SequenceEqual(EnvelopeFormat.Magic))
        {
            throw new TamperedObjectException(objectKey, "not an encrypted lake object (bad magic bytes)");
        }

        if (header[4] != EnvelopeFormat.Version1)
        {
            throw new TamperedObjectException(objectKey, $"unknown format version {header[4]} (this build reads version {EnvelopeFormat.Version1})");
        }

        if (header[5] != EnvelopeFormat.AlgorithmAes256GcmHkdfSha256)
        {
            throw new TamperedObjectException(objectKey, $"unknown algorithm {header[5]}");
        }

        var at = EnvelopeFormat.KeyIdLengthOffset;
        int keyIdLength = header[at++];
        if (keyIdLength is 0 or > EnvelopeFormat.MaxKeyIdBytes || at + keyIdLength + 6 > EnvelopeFormat.LakeIdOffset)
        {
            throw new TamperedObjectException(objectKey, "malformed header (key id length)");
        }

        string keyId;
        try
        {
            keyId = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(header.Slice(at, keyIdLength));
        }
        catch (DecoderFallbackException e)
        {
            throw new TamperedObjectException(objectKey, "malformed header (key id is not UTF-8)", e);
        }

        at += keyIdLength;
        var version = BinaryPrimitives.ReadInt32BigEndian(header[at..]);
        at += 4;
        int wrappedLength = BinaryPrimitives.ReadUInt16BigEndian(header[at..]);
        at += 2;
        if (version < 1 || wrappedLength == 0 || at + wrappedLength > EnvelopeFormat.LakeIdOffset)
        {
            throw new TamperedObjectException(objectKey, "malformed header (KEK version or wrapped key length)");
        }

        var prefix = header.Slice(EnvelopeFormat.NoncePrefixOffset, EnvelopeFormat.NoncePrefixSize).ToArray();
        return new EnvelopeHeader(prefix, new WrappedDataKey(keyId, version, header.Slice(at, wrappedLength).ToArray()),
            header.Slice(EnvelopeFormat.LakeIdOffset, EnvelopeFormat.LakeIdSize).ToArray());
    }

    /// <summary>True when the header's MAC matches its bytes and <paramref name="objectKey"/> under <paramref name="macKey"/>.</summary>
    public static bool MacMatches(ReadOnlySpan<byte> header, string objectKey, ReadOnlySpan<byte> macKey)
    {
        Span<byte> expected = stackalloc byte[EnvelopeFormat.MacSize];
        ComputeMac(header, objectKey, macKey, expected);
        return CryptographicOperations.FixedTimeEquals(expected, header.Slice(EnvelopeFormat.MacOffset, EnvelopeFormat.MacSize));
    }

    /// <summary>The associated data of every segment: magic, version, algorithm, nonce prefix, then the object key.</summary>
    public static byte[] SegmentAssociatedData(ReadOnlySpan<byte> header, string objectKey)
    {
        var key = Encoding.UTF8.GetBytes(objectKey);
        var aad = new byte[EnvelopeFormat.BindingSize + key.Length];
        header[..EnvelopeFormat.BindingSize].CopyTo(aad);
        key.CopyTo(aad, EnvelopeFormat.BindingSize);
        return aad;
    }

    private static void ComputeMac(ReadOnlySpan<byte> header, string objectKey, ReadOnlySpan<byte> macKey, Span<byte> mac)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, macKey);
        hmac.AppendData(header[..EnvelopeFormat.MacOffset]);
        hmac.AppendData(Encoding.UTF8.GetBytes(objectKey));
        hmac.GetHashAndReset(mac);
    }
}
