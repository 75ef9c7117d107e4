using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Fhirhouse.Errors;

namespace Fhirhouse.Storage.Transport;

/// <summary>
/// The one TLS rule of every client of the platform (Bulk Data, FHIR REST, S3, Kafka, and the coming MLLP and MQTT
/// sources): server certificates are verified (chain and host name) against the system's roots, or against the CA
/// certificates of <see cref="CaBundle"/> instead; <see cref="ClientCertificate"/> (with <see cref="ClientKey"/>) is
/// presented for mutual TLS; plain connections are refused except to loopback unless <see cref="AllowInsecure"/>.
/// Bad files are usage errors naming them.
/// </summary>
public sealed record TlsClientSettings
{
    /// <summary>PEM file of the CA certificates to trust (instead of the system's roots); null: the system's roots.</summary>
    public string? CaBundle { get; init; }

    /// <summary>PEM client certificate for mutual TLS (its key in <see cref="ClientKey"/>, or in the same file).</summary>
    public string? ClientCertificate { get; init; }

    /// <summary>PEM private key of <see cref="ClientCertificate"/>.</summary>
    public string? ClientKey { get; init; }

    /// <summary>Allows plain (unencrypted) connections to a host that is not loopback.</summary>
    public bool AllowInsecure { get; init; }

    /// <summary>True for 127.0.0.0/8, ::1 and localhost.</summary>
    public static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    /// <summary>
    /// Refuses a plain connection to <paramref name="host"/> unless it is loopback or insecure connections are allowed;
    /// <paramref name="what"/> names the connection and <paramref name="allowHow"/> how to allow it.
    /// </summary>
    public void CheckPlain(string host, string what, string allowHow)
    {
        if (!AllowInsecure && !IsLoopback(host))
        {
            throw Usage($"{what}: a plain connection to a network address would carry the data unencrypted; use TLS, or {allowHow}.");
        }
    }

    /// <summary>The CA certificates of <see cref="CaBundle"/>; empty when none is set.</summary>
    public X509Certificate2Collection TrustedRoots()
    {
        var roots = new X509Certificate2Collection();
        if (CaBundle is null)
        {
            return roots;
        }

        try
        {
            roots.ImportFromPemFile(Existing(CaBundle));
        }
        catch (CryptographicException e)
        {
            throw Usage($"{CaBundle}: not a PEM file of certificates ({e.Message}).", e);
        }

        return roots.Count > 0 ? roots : throw Usage($"{CaBundle}: holds no certificate.");
    }

    /// <summary>The client certificate with its private key; null when none is set.</summary>
    public X509Certificate2? LoadClientCertificate()
    {
        if (ClientCertificate is null)
        {
            return ClientKey is null ? null : throw Usage("A client key is given without its client certificate.");
        }

        try
        {
            var loaded = X509Certificate2.CreateFromPemFile(Existing(ClientCertificate), ClientKey is null ? null : Existing(ClientKey));
            return loaded.HasPrivateKey ? loaded : throw Usage($"{ClientCertificate}: the client certificate has no private key.");
        }
        catch (CryptographicException e)
        {
            throw Usage($"{ClientCertificate}: not a PEM certificate with its private key ({e.Message}).", e);
        }
    }

    /// <summary>The .NET TLS options of the rule (for HTTP clients and <see cref="SslStream"/>).</summary>
    public SslClientAuthenticationOptions SslOptions()
    {
        var ssl = new SslClientAuthenticationOptions();
        var roots = TrustedRoots();
        if (roots.Count > 0)
        {
            ssl.CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            ssl.CertificateChainPolicy.CustomTrustStore.AddRange(roots);
        }

        if (LoadClientCertificate() is { } client)
        {
            ssl.ClientCertificates = [client];
        }

        return ssl;
    }

    /// <summary>
    /// An HTTP handler under the rule (decompression on), for <paramref name="server"/>: plain http refused off loopback,
    /// for the first request and for every URL the server hands out after it (a status URL, a manifest's file URLs).
    /// </summary>
    public HttpMessageHandler Handler(Uri server, string allowHow)
    {
        ArgumentNullException.ThrowIfNull(server);
        if (server.Scheme == Uri.UriSchemeHttp)
        {
            CheckPlain(server.IdnHost, server.GetLeftPart(UriPartial.Authority), allowHow);
        }

        var inner = new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.All, SslOptions = SslOptions() };
        return AllowInsecure ? inner : new PlainRequestGuard(this, allowHow, inner);
    }

    private static string Existing(string path) => File.Exists(path) ? path : throw new FhirhouseException(ErrorCodes.PathNotFound, ErrorKind.Usage, $"{path}: no such file.");

    private static FhirhouseException Usage(string message, Exception? inner = null) => new(ErrorCodes.InvalidValue, ErrorKind.Usage, message, inner);

    /// <summary>Refuses each request to a plain http URL off loopback, whatever handed it out.</summary>
    private sealed class PlainRequestGuard(TlsClientSettings settings, string allowHow, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri is { Scheme: "http" } url)
            {
                settings.CheckPlain(url.IdnHost, url.GetLeftPart(UriPartial.Authority), allowHow);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
