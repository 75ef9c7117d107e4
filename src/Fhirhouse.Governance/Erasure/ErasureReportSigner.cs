using System.Security.Cryptography;
using System.Text.Json;
using Fhirhouse.Governance.Secrets;

namespace Fhirhouse.Governance.Erasure;

/// <summary>
/// Signs and verifies erasure reports: HMAC-SHA256 over the report's JSON without its signature, with a key derived
/// from the lake's governance secret (so only a holder of the lake's keys can sign or verify).
/// </summary>
public sealed class ErasureReportSigner
{
    private readonly byte[] _key;

    private ErasureReportSigner(byte[] key) => _key = key;

    public static ErasureReportSigner For(LakeSecrets secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        return new ErasureReportSigner(secrets.Derive("erasure-report-signature"));
    }

    /// <summary>The report with its <see cref="ErasureReport.Signature"/> set (hex).</summary>
    public ErasureReport Sign(ErasureReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report with { Signature = Convert.ToHexStringLower(HMACSHA256.HashData(_key, Canonical(report))) };
    }

    /// <summary>True when the report carries this lake's valid signature of exactly its content.</summary>
    public bool Verify(ErasureReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Signature is not { Length: 64 } signature || !IsHex(signature))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(_key, Canonical(report)), Convert.FromHexString(signature));
    }

    /// <summary>Reads a report from its JSON; throws <see cref="InvalidDataException"/> naming the problem.</summary>
    public static ErasureReport Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            var report = JsonSerializer.Deserialize<ErasureReport>(json, ErasureJson.Options) ?? throw new InvalidDataException("The erasure report is empty.");
            return report.Format == ErasureReport.CurrentFormat
                ? report
                : throw new InvalidDataException($"Unknown erasure report format '{report.Format}' (expected '{ErasureReport.CurrentFormat}').");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The erasure report is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>The report's JSON as stored and printed.</summary>
    public static byte[] Serialize(ErasureReport report) => JsonSerializer.SerializeToUtf8Bytes(report, ErasureJson.Options);

    private static byte[] Canonical(ErasureReport report) =>
        JsonSerializer.SerializeToUtf8Bytes(report with { Signature = null }, ErasureJson.Options);

    private static bool IsHex(string text) => text.All(char.IsAsciiHexDigit);
}
