using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Fhirhouse.Testing;

/// <summary>
/// A test certificate authority made in memory, and the certificates it issues (servers by host name or IP, clients),
/// for TLS tests on loopback. PEM files are written where a peer (s3rver, librdkafka) reads them.
/// </summary>
internal sealed class TestCertificates : IDisposable
{
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public TestCertificates(string name = "fhirhouse test CA")
    {
        var request = new CertificateRequest("CN=" + name, _caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        Authority = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(30));
    }

    /// <summary>The CA's certificate (what a client trusts).</summary>
    public X509Certificate2 Authority { get; }

    /// <summary>Writes the CA certificate as PEM to <paramref name="path"/> and returns the path.</summary>
    public string WriteAuthority(string path)
    {
        File.WriteAllText(path, Authority.ExportCertificatePem());
        return path;
    }

    /// <summary>A server certificate for <paramref name="host"/> (an IP or a DNS name), valid from <paramref name="from"/> to <paramref name="until"/> (default: now, one day).</summary>
    public X509Certificate2 Server(string host = "127.0.0.1", DateTimeOffset? from = null, DateTimeOffset? until = null)
    {
        var names = new SubjectAlternativeNameBuilder();
        if (IPAddress.TryParse(host, out var ip))
        {
            names.AddIpAddress(ip);
        }
        else
        {
            names.AddDnsName(host);
        }

        return Issue("CN=" + host, names.Build(), "1.3.6.1.5.5.7.3.1", from, until);
    }

    /// <summary>A client certificate for mutual TLS.</summary>
    public X509Certificate2 Client(string name = "fhirhouse-client") => Issue("CN=" + name, null, "1.3.6.1.5.5.7.3.2", null, null);

    /// <summary>Writes <paramref name="certificate"/> and its private key as two PEM files; returns their paths.</summary>
    public static (string Certificate, string Key) WritePem(X509Certificate2 certificate, string folder, string name)
    {
        var cert = Path.Combine(folder, name + ".pem");
        var key = Path.Combine(folder, name + ".key");
        File.WriteAllText(cert, certificate.ExportCertificatePem());
        using var privateKey = certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException("not an EC certificate with its key");
        File.WriteAllText(key, privateKey.ExportPkcs8PrivateKeyPem());
        return (cert, key);
    }

    public void Dispose()
    {
        Authority.Dispose();
        _caKey.Dispose();
    }

    private X509Certificate2 Issue(string subject, X509Extension? names, string usage, DateTimeOffset? from, DateTimeOffset? until)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        if (names is not null)
        {
            request.CertificateExtensions.Add(names);
        }

        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        var serial = RandomNumberGenerator.GetBytes(8);
        serial[0] &= 0x7F;
        using var issued = request.Create(Authority, from ?? DateTimeOffset.UtcNow.AddMinutes(-5), until ?? DateTimeOffset.UtcNow.AddDays(1), serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }
}
