using System.CommandLine;
using Fhirhouse.Storage.Transport;

namespace Fhirhouse.Cli.Commands;

/// <summary>
/// TLS for the commands that call a server (<c>ingest bulk</c>, <c>ingest rest</c>, <c>ingest kafka</c>), one rule for all (<see cref="TlsClientSettings"/>): certificates
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

    /// <summary>The settings the options give.</summary>
    public TlsClientSettings Settings(ParseResult parse) => new()
    {
        CaBundle = parse.GetValue(CaBundle),
        ClientCertificate = parse.GetValue(ClientCertificate),
        ClientKey = parse.GetValue(ClientKey),
        AllowInsecure = parse.GetValue(AllowInsecure),
    };

    /// <summary>An HTTP client for <paramref name="server"/> under the rule; a usage error names what does not fit.</summary>
    public HttpClient Create(ParseResult parse, Uri server, TimeSpan timeout) =>
        new(Settings(parse).Handler(server, "give --allow-insecure")) { Timeout = timeout };
}
