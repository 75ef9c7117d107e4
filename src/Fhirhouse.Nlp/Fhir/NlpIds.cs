using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Fhirhouse.Nlp.Fhir;

/// <summary>
/// The ids of the resources the NLP stage writes: <c>nlp-</c> and 40 lowercase hex digits of a SHA-256 over the inputs
/// (each length-prefixed, so no two lists of inputs give the same bytes), a valid FHIR id. The same inputs always give
/// the same id; a mention's id does not depend on the engine version, so a new engine that finds the same mention
/// updates the same resource.
/// </summary>
public static class NlpIds
{
    private const string Prefix = "nlp-";
    private const int HashBytes = 20;

    /// <summary>
    /// The id of a mention and of the resource made from it: the source resource (<c>DocumentReference/d1</c>), the
    /// text's path in it, the mention's kind (<c>concept</c>, <c>measurement</c>, <c>medication</c>), the concept or
    /// test id, and its span in the text.
    /// </summary>
    public static string Mention(string sourceKey, string textPath, string kind, string conceptOrTestId, int start, int end)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourceKey);
        ArgumentNullException.ThrowIfNull(textPath);
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentException.ThrowIfNullOrEmpty(conceptOrTestId);
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfLessThan(end, start);
        return Hash("mention", sourceKey, textPath, kind, conceptOrTestId, start.ToString(CultureInfo.InvariantCulture), end.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The id of the Provenance of one source resource's findings by one engine version.</summary>
    public static string Provenance(string sourceKey, string engineVersion)
    {
        ArgumentException.ThrowIfNullOrEmpty(sourceKey);
        ArgumentException.ThrowIfNullOrEmpty(engineVersion);
        return Hash("provenance", sourceKey, engineVersion);
    }

    /// <summary>The id of the Device that stands for one engine version.</summary>
    public static string Device(string engineVersion)
    {
        ArgumentException.ThrowIfNullOrEmpty(engineVersion);
        return Hash("device", engineVersion);
    }

    private static string Hash(params ReadOnlySpan<string> parts)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[4];
        foreach (var part in parts)
        {
            var bytes = Encoding.UTF8.GetBytes(part);
            BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
            hash.AppendData(length);
            hash.AppendData(bytes);
        }

        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        return Prefix + Convert.ToHexStringLower(digest[..HashBytes]);
    }
}
