using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Confluent.Kafka;
using Fhirhouse.Ingest.Sources.Kafka;
using Fhirhouse.Storage.Transport;
using Fhirhouse.Testing;

namespace Fhirhouse.Ingest.Tests.Sources;

/// <summary>
/// The Kafka consumer's TLS configuration, handshaking with a .NET <see cref="SslStream"/> listener on loopback: the
/// mock cluster of librdkafka speaks only plaintext, so what is tested here is the TLS handshake librdkafka makes with
/// our settings (certificate chain, host name, expiry, client certificate), not a Kafka session over TLS.
/// </summary>
public sealed class KafkaTlsTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly TestCertificates _ca = new();

    public void Dispose()
    {
        _ca.Dispose();
        _folder.Dispose();
    }

    private string CaFile => _ca.WriteAuthority(Path.Combine(_folder.Path, "ca.pem"));

    /// <summary>
    /// Accepts one TLS connection with <paramref name="certificate"/> while a consumer with <paramref name="tls"/> tries
    /// to reach the broker; returns the client certificate it presented (null: none) or the handshake's failure.
    /// </summary>
    private static async Task<(bool Handshake, X509Certificate2? ClientCertificate)> HandshakeAsync(X509Certificate2 certificate, TlsClientSettings tls, bool requireClientCertificate, string host = "127.0.0.1")
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var options = new KafkaIngestOptions { BootstrapServers = $"{host}:{port}", Topic = "fhir", Group = "g", Tls = tls };
        var config = KafkaIngestor.ConsumerConfigOf(options);
        config.SocketTimeoutMs = 5000;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var consuming = Task.Run(() =>
        {
            using var consumer = new ConsumerBuilder<Ignore, byte[]>(config).SetLogHandler((_, _) => { }).SetErrorHandler((_, _) => { }).Build();
            consumer.Subscribe("fhir");
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    consumer.Consume(TimeSpan.FromMilliseconds(200));
                }
            }
            catch (ConsumeException)
            {
            }

            consumer.Close();
        });
        try
        {
            using var socket = await listener.AcceptTcpClientAsync(stop.Token);
            await using var ssl = new SslStream(socket.GetStream());
            try
            {
                await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificate = certificate,
                    ClientCertificateRequired = requireClientCertificate,
                    RemoteCertificateValidationCallback = (_, presented, _, _) => !requireClientCertificate || presented is not null,
                }, stop.Token);
                return (true, ssl.RemoteCertificate is { } remote ? new X509Certificate2(remote) : null);
            }
            catch (Exception e) when (e is System.Security.Authentication.AuthenticationException or IOException)
            {
                return (false, null);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await consuming;
        }
    }

    [Fact]
    public async Task The_consumer_completes_the_handshake_with_the_right_ca_and_abandons_it_with_another()
    {
        using var certificate = _ca.Server("127.0.0.1");
        Assert.True((await HandshakeAsync(certificate, new TlsClientSettings { CaBundle = CaFile }, requireClientCertificate: false)).Handshake);

        using var other = new TestCertificates("another CA");
        var otherFile = other.WriteAuthority(Path.Combine(_folder.Path, "other.pem"));
        Assert.False((await HandshakeAsync(certificate, new TlsClientSettings { CaBundle = otherFile }, requireClientCertificate: false)).Handshake);
    }

    [Theory]
    [InlineData("expired")]
    [InlineData("wrong-host")]
    public async Task The_consumer_abandons_the_handshake_with_an_expired_certificate_or_one_for_another_host(string problem)
    {
        using var certificate = problem == "expired"
            ? _ca.Server("127.0.0.1", DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddDays(-1))
            : _ca.Server("kafka.hospital.example");
        Assert.False((await HandshakeAsync(certificate, new TlsClientSettings { CaBundle = CaFile }, requireClientCertificate: false)).Handshake);
    }

    [Fact]
    public async Task The_consumer_presents_its_client_certificate_for_mutual_tls()
    {
        using var certificate = _ca.Server("127.0.0.1");
        using var client = _ca.Client("kafka-consumer");
        var (cert, key) = TestCertificates.WritePem(client, _folder.Path, "client");

        var (handshake, presented) = await HandshakeAsync(certificate, new TlsClientSettings { CaBundle = CaFile, ClientCertificate = cert, ClientKey = key }, requireClientCertificate: true);
        Assert.True(handshake);
        Assert.Equal(client.Thumbprint, presented?.Thumbprint);
        Assert.False((await HandshakeAsync(certificate, new TlsClientSettings { CaBundle = CaFile }, requireClientCertificate: true)).Handshake);
    }

    [Fact]
    public void A_plaintext_broker_on_the_network_is_refused_unless_allowed_and_loopback_stays_plain()
    {
        var error = Assert.Throws<Errors.FhirhouseException>(() => new KafkaIngestOptions
        {
            BootstrapServers = "10.1.2.3:9092",
            Topic = "t",
            Group = "g",
            Config = new Dictionary<string, string> { ["security.protocol"] = "plaintext" },
        }.Validate());
        Assert.Contains("unencrypted", error.Message, StringComparison.Ordinal);

        Assert.Equal(SecurityProtocol.Ssl, KafkaIngestor.ConsumerConfigOf(new KafkaIngestOptions { BootstrapServers = "kafka.hospital.example:9093", Topic = "t", Group = "g" }).SecurityProtocol);
        Assert.Null(KafkaIngestor.ConsumerConfigOf(new KafkaIngestOptions { BootstrapServers = "127.0.0.1:9092", Topic = "t", Group = "g" }).SecurityProtocol);
        Assert.Equal(SecurityProtocol.Plaintext, KafkaIngestor.ConsumerConfigOf(new KafkaIngestOptions
        {
            BootstrapServers = "10.1.2.3:9092",
            Topic = "t",
            Group = "g",
            Config = new Dictionary<string, string> { ["security.protocol"] = "plaintext" },
            Tls = new TlsClientSettings { AllowInsecure = true },
        }).SecurityProtocol);
    }
}
