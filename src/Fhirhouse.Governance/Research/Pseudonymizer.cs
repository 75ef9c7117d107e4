using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Fhirhouse.Fhir.Resources;
using Fhirhouse.Governance.Secrets;

namespace Fhirhouse.Governance.Research;

/// <summary>
/// The keyed transforms of research exports, with keys derived from the lake's governance secret: pseudonyms
/// (HMAC-SHA256 of an identifier, 32 hex digits: the same value gives the same pseudonym in every export of the lake, and
/// a different one in another lake) and a date shift per patient (1 to <c>maxShiftDays</c> days, earlier or later, from the
/// keyed hash of the patient id, so intervals within a patient are kept).
/// </summary>
public sealed class Pseudonymizer
{
    private readonly byte[] _pseudonymKey;
    private readonly byte[] _shiftKey;
    private readonly int _maxShiftDays;

    private Pseudonymizer(byte[] pseudonymKey, byte[] shiftKey, byte[] maskKey, int maxShiftDays)
    {
        _pseudonymKey = pseudonymKey;
        _shiftKey = shiftKey;
        MaskKey = maskKey;
        _maxShiftDays = maxShiftDays;
    }

    /// <summary>A key of its own for the query engine's hash mask, when an export reads without a policy guard.</summary>
    internal byte[] MaskKey { get; }

    public static Pseudonymizer For(LakeSecrets secrets, int maxShiftDays = 365)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxShiftDays, 1);
        return new Pseudonymizer(secrets.Derive("research-pseudonym"), secrets.Derive("research-date-shift"), secrets.Derive("research-mask"), maxShiftDays);
    }

    /// <summary>The pseudonym of an identifier value (an id, or an identifier's value).</summary>
    public string Pseudonym(string value) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_pseudonymKey, Encoding.UTF8.GetBytes(value)).AsSpan(0, 16));

    /// <summary>"Type/id" with the id pseudonymised; a bare value pseudonymised whole.</summary>
    public string PseudonymOfReference(string value)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && FhirResourceTypes.IsKnown(value[..slash]) && slash < value.Length - 1
            ? value[..(slash + 1)] + Pseudonym(value[(slash + 1)..])
            : Pseudonym(value);
    }

    /// <summary>True for "Type/id" with a known R4 type.</summary>
    public static bool IsReference(string value)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && slash < value.Length - 1 && value.IndexOf('/', slash + 1) < 0 && FhirResourceTypes.IsKnown(value[..slash]) && ResourceScanner.IsValidId(value[(slash + 1)..]);
    }

    /// <summary>The shift of a patient's dates, in days (never 0): the same patient id always gives the same shift.</summary>
    public int ShiftDays(string patientId)
    {
        var hash = HMACSHA256.HashData(_shiftKey, Encoding.UTF8.GetBytes(patientId));
        var magnitude = 1 + (int)(BinaryPrimitives.ReadUInt64LittleEndian(hash) % (ulong)_maxShiftDays);
        return (hash[8] & 1) == 0 ? magnitude : -magnitude;
    }

    /// <summary>
    /// A FHIR date ("2024-03-01") or dateTime ("2024-03-01T10:00:00+01:00") moved by <paramref name="days"/>, its time
    /// and zone kept as written; null for text that is not a full date (partial dates such as "2024" are not shifted).
    /// </summary>
    public static string? ShiftFhirDate(string text, int days)
    {
        if (text.Length < 10 || (text.Length > 10 && text[10] != 'T') ||
            !DateOnly.TryParseExact(text.AsSpan(0, 10), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return null;
        }

        return date.AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + text[10..];
    }
}
