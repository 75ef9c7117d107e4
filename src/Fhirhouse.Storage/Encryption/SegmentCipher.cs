using System.Security.Cryptography;

namespace Fhirhouse.Storage.Encryption;

/// <summary>AES-256-GCM over the segments of one object: its key, nonce prefix and associated data.</summary>
internal sealed class SegmentCipher : IDisposable
{
    private readonly AesGcm _aes;
    private readonly byte[] _noncePrefix;
    private readonly byte[] _associatedData;
    private readonly byte[] _nonce = new byte[EnvelopeFormat.NonceSize];

    public SegmentCipher(ReadOnlySpan<byte> segmentKey, ReadOnlySpan<byte> noncePrefix, byte[] associatedData)
    {
        _aes = new AesGcm(segmentKey, EnvelopeFormat.TagSize);
        _noncePrefix = noncePrefix.ToArray();
        _associatedData = associatedData;
    }

    /// <summary>Encrypts one segment: <paramref name="ciphertext"/> receives the ciphertext then the 16-byte tag.</summary>
    public void Encrypt(long index, bool last, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext)
    {
        EnvelopeFormat.Nonce(_noncePrefix, checked((uint)index), last, _nonce);
        _aes.Encrypt(_nonce, plaintext, ciphertext[..plaintext.Length], ciphertext.Slice(plaintext.Length, EnvelopeFormat.TagSize), _associatedData);
    }

    /// <summary>Decrypts and authenticates one segment (ciphertext then tag); false, with the output cleared, when it does not authenticate.</summary>
    public bool TryDecrypt(long index, bool last, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext)
    {
        if (ciphertext.Length < EnvelopeFormat.TagSize || index > uint.MaxValue)
        {
            return false;
        }

        var length = ciphertext.Length - EnvelopeFormat.TagSize;
        EnvelopeFormat.Nonce(_noncePrefix, (uint)index, last, _nonce);
        try
        {
            _aes.Decrypt(_nonce, ciphertext[..length], ciphertext[length..], plaintext[..length], _associatedData);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            CryptographicOperations.ZeroMemory(plaintext[..length]);
            return false;
        }
    }

    public void Dispose() => _aes.Dispose();
}
