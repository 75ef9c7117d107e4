using Amazon.Runtime;
using Amazon.S3;
using Fhirhouse.Storage.Lake;
using Fhirhouse.Storage.S3;
using Fhirhouse.Storage.Transport;
using Fhirhouse.Testing;

namespace Fhirhouse.Storage.Tests.S3;

/// <summary>
/// The S3 client under the platform's TLS rule, against s3rver speaking TLS with a certificate from a test CA: accepted
/// with the right CA; refused with another CA, an expired certificate, or a certificate for another host name.
/// </summary>
public sealed class S3TlsTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly TestCertificates _ca = new();
    private readonly TestCertificates _otherCa = new("another CA");

    public void Dispose()
    {
        _ca.Dispose();
        _otherCa.Dispose();
        _folder.Dispose();
    }

    private async Task<S3rverServer> StartAsync(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, string name)
    {
        var (cert, key) = TestCertificates.WritePem(certificate, _folder.Path, name);
        var server = new S3rverServer(cert, key);
        await server.InitializeAsync();
        return server;
    }

    private static AmazonS3Client Client(S3rverServer server, TlsClientSettings tls) => new(new BasicAWSCredentials("S3RVER", "S3RVER"), new AmazonS3Config
    {
        ServiceURL = server.ServiceUrl,
        ForcePathStyle = true,
        AuthenticationRegion = "us-east-1",
        HttpClientFactory = new TlsHttpClientFactory(tls),
        MaxErrorRetry = 0,
    });

    private static async Task PutAndReadAsync(AmazonS3Client client)
    {
        var store = new S3ObjectStore(client, S3rverServer.BucketName, "lake");
        await store.PutAsync("a/b.json", "{}"u8.ToArray());
        Assert.Equal("{}"u8.ToArray(), await store.ReadAllBytesAsync("a/b.json"));
    }

    [Fact]
    public async Task An_s3_store_over_tls_is_accepted_with_the_right_ca_and_refused_with_another()
    {
        using var certificate = _ca.Server("127.0.0.1");
        var server = await StartAsync(certificate, "s3");
        try
        {
            using (var trusting = Client(server, new TlsClientSettings { CaBundle = _ca.WriteAuthority(Path.Combine(_folder.Path, "ca.pem")) }))
            {
                await PutAndReadAsync(trusting);
            }

            using var other = Client(server, new TlsClientSettings { CaBundle = _otherCa.WriteAuthority(Path.Combine(_folder.Path, "other.pem")) });
            var refused = await Assert.ThrowsAnyAsync<Exception>(() => PutAndReadAsync(other));
            Assert.Contains("SSL", refused.ToString(), StringComparison.OrdinalIgnoreCase);

            using var systemRoots = Client(server, new TlsClientSettings());
            await Assert.ThrowsAnyAsync<Exception>(() => PutAndReadAsync(systemRoots));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("expired")]
    [InlineData("wrong-host")]
    public async Task An_s3_store_whose_certificate_is_expired_or_names_another_host_is_refused(string problem)
    {
        using var certificate = problem == "expired"
            ? _ca.Server("127.0.0.1", DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddDays(-1))
            : _ca.Server("s3.hospital.example");
        var server = await StartAsync(certificate, problem);
        try
        {
            using var client = Client(server, new TlsClientSettings { CaBundle = _ca.WriteAuthority(Path.Combine(_folder.Path, "ca.pem")) });
            var refused = await Assert.ThrowsAnyAsync<Exception>(() => PutAndReadAsync(client));
            Assert.Contains("SSL", refused.ToString(), StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public void A_plain_http_endpoint_off_loopback_is_refused_unless_allowed()
    {
        var factory = new TlsHttpClientFactory(new TlsClientSettings());
        var error = Assert.Throws<Errors.FhirhouseException>(() => factory.CreateHttpClient(new AmazonS3Config { ServiceURL = "http://10.1.2.3:9000" }));
        Assert.Contains("unencrypted", error.Message, StringComparison.Ordinal);
        using var loopback = factory.CreateHttpClient(new AmazonS3Config { ServiceURL = "http://127.0.0.1:9000" });
        using var allowed = new TlsHttpClientFactory(new TlsClientSettings { AllowInsecure = true }).CreateHttpClient(new AmazonS3Config { ServiceURL = "http://10.1.2.3:9000" });
    }
}
