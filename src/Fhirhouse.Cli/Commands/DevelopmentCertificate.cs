using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Fhirhouse.Cli.Commands;

/// <summary>
/// The self-signed certificate <c>fhirhouse serve</c> uses on loopback when it is given none: made on first use (ECDSA
/// P-256, for <c>localhost</c>, <c>127.0.0.1</c> and <c>::1</c> only, valid a year), kept as PEM beside the keyring (the
/// key readable by its owner only) and made again when it is about to expire. Clients trust it by its file
/// (<c>curl --cacert</c>); it is never for a network address.
/// </summary>
internal static class DevelopmentCertificate
{
    public const string FileName = "dev-https.pem";
    private const string KeyFileName = "dev-https.key";

    /// <summary>The certificate in <paramref name="folder"/>, made there first when missing or expiring within a day; <paramref name="created"/> says which.</summary>
    public static X509Certificate2 LoadOrCreate(string folder, TimeProvider time, out string path, out bool created)
    {
        path = Path.Combine(folder, FileName);
        var keyPath = Path.Combine(folder, KeyFileName);
        var now = time.GetUtcNow();
        if (File.Exists(path) && File.Exists(keyPath))
        {
            var existing = X509Certificate2.CreateFromPemFile(path, keyPath);
            if (existing.NotAfter.ToUniversalTime() > now.UtcDateTime.AddDays(1) && existing.NotBefore.ToUniversalTime() <= now.UtcDateTime)
            {
                created = false;
                return existing;
            }

            existing.Dispose();
        }

        Directory.CreateDirectory(folder);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=fhirhouse development (loopback only)", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(1));
        var keyPem = key.ExportPkcs8PrivateKeyPem();
        File.WriteAllText(keyPath, "");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.WriteAllText(keyPath, keyPem);
        File.WriteAllText(path, certificate.ExportCertificatePem());
        created = true;
        return X509Certificate2.CreateFromPemFile(path, keyPath);
    }
}
