using System.CommandLine;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Fhirhouse.Errors;

namespace Fhirhouse.Cli.Commands;

/// <summary>
/// TLS for the commands that call a server (<c>ingest bulk</c>, <c>ingest rest</c>), one rule for all: certificates
/// are verified (host name and chain), against the system's roots or a CA bundle (<c>--ca-bundle</c>, the roots
/// trusted instead), with an optional client certificate (<c>--client-cert</c>/<c>--client-key</c>, mutual TLS); plain
/// <c>http://</c> is refused except to loopback unless <c>--allow-insecure</c>.
/// </summary>
internal sealed class TlsClientOptionSet
{
    public Option<string?> CaBundle { get; } = new("--ca-bundle") { Description = "PEM file of the CA certificates to trust for the server (instead of the system's roots)." };

    public Option<string?> ClientCertificate { get; } = new("--client-cert") { Description = "PEM client certificate for mutual TLS (its key in --client-key, or in the same file)." };

    public Option<string?> ClientKey { get; } = new("--client-key") { Description = "PEM private key of --client-cert." };

    public Option<bool> AllowInsecure { get; } = new("--allow-insecure") { Description = "Allow plain http:// to a server that is not on loopback (the data would cross the network unencrypted)." };

    public void AddTo(Command command)
    {
        command.Options.Add(CaBundle);
        command.Options.Add(ClientCertificate);
        command.Options.Add(ClientKey);
        command.Options.Add(AllowInsecure);
    }

    /// <summary>An HTTP client for <paramref name="server"/> under the rule; a usage error names what does not fit.</summary>
    public HttpClient Create(ParseResult parse, Uri server, TimeSpan timeout)
    {
        if (server.Scheme == Uri.UriSchemeHttp && !ServeCommand.IsLoopback(server) && !parse.GetValue(AllowInsecure))
        {
            throw Usage($"{server.GetLeftPart(UriPartial.Authority)}: plain http to a network address would carry the data unencrypted; use https://, or give --allow-insecure.");
        }

        var ssl = new SslClientAuthenticationOptions();
        if (parse.GetValue(CaBundle) is { } bundle)
        {
            var roots = new X509Certificate2Collection();
            try
            {
                roots.ImportFromPemFile(Existing(bundle));
            }
            catch (CryptographicException e)
            {
                throw Usage($"--ca-bundle {bundle}: not a PEM file of certificates ({e.Message}).", e);
            }

            if (roots.Count == 0)
            {
                throw Usage($"--ca-bundle {bundle}: holds no certificate.");
            }

            ssl.CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            ssl.CertificateChainPolicy.CustomTrustStore.AddRange(roots);
        }

        if (parse.GetValue(ClientCertificate) is { } certificate)
        {
            try
            {
                var client = X509Certificate2.CreateFromPemFile(Existing(certificate), parse.GetValue(ClientKey) is { } key ? Existing(key) : null);
                ssl.ClientCertificates = [client];
            }
            catch (CryptographicException e)
            {
                throw Usage($"--client-cert {certificate}: not a PEM certificate with its private key ({e.Message}).", e);
            }
        }
        else if (parse.GetValue(ClientKey) is not null)
        {
            throw Usage("--client-key is given without --client-cert.");
        }

        return new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.All, SslOptions = ssl }) { Timeout = timeout };
    }

    private static string Existing(string path) => File.Exists(path) ? path : throw new FhirhouseException(ErrorCodes.PathNotFound, ErrorKind.Usage, $"{path}: no such file.");

    private static FhirhouseException Usage(string message, Exception? inner = null) => new(ErrorCodes.InvalidValue, ErrorKind.Usage, message, inner);
}
