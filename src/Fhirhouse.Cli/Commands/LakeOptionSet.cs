using System.CommandLine;
using Amazon.S3;
using Fhirhouse.Errors;
using Fhirhouse.Storage.Keys.Keyring;
using Fhirhouse.Storage.Lake;
using Fhirhouse.Storage.S3;
using Fhirhouse.Storage.Transport;

namespace Fhirhouse.Cli.Commands;

/// <summary>
/// <c>--lake URI</c> and <c>--keyring PATH</c>, shared by every command that touches the lake. Defaults come from the
/// environment (<c>FHIRHOUSE_LAKE</c>, <c>FHIRHOUSE_KEYRING</c>), else <c>./lake</c> and <c>~/.fhirhouse/keyring.json</c>.
/// On first use a keyring with a random master key (a file only its owner can read) is created, and the command says
/// where it is and how to move to a passphrase, an HSM or a KMS.
/// </summary>
internal sealed class LakeOptionSet
{
    public Option<string> Lake { get; } = new("--lake")
    {
        Description = "The lake: a folder, file:///path or s3://bucket/prefix (default: $FHIRHOUSE_LAKE, else ./lake).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("FHIRHOUSE_LAKE") is { Length: > 0 } lake ? lake : "lake",
    };

    public Option<string> Keyring { get; } = new("--keyring")
    {
        Description = "The local keyring holding the lake's key-encryption keys (default: $FHIRHOUSE_KEYRING, else ~/.fhirhouse/keyring.json); its master key is the .key file beside it.",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("FHIRHOUSE_KEYRING") is { Length: > 0 } keyring
            ? keyring
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".fhirhouse", "keyring.json"),
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Lake);
        command.Options.Add(Keyring);
    }

    /// <summary>
    /// Opens the lake of <c>--lake</c>. A local lake folder must exist (a usage error naming it otherwise) unless
    /// <paramref name="create"/>: only the commands that land data create a lake.
    /// </summary>
    public Task<LakeStore> OpenAsync(ParseResult parse, CliContext context, CancellationToken cancellationToken, bool create = false, bool forUpgrade = false)
    {
        var uri = parse.GetValue(Lake)!;
        var location = LakeLocation.Parse(uri);
        if (!create && location.Scheme == "file" && !Directory.Exists(location.Path))
        {
            throw FhirhouseException.PathNotFound(location.Path, "lake folder (--lake)");
        }

        return OpenAsync(uri, parse.GetValue(Keyring)!, context, cancellationToken, forUpgrade);
    }

    public static async Task<LakeStore> OpenAsync(string lakeUri, string keyringPath, CliContext context, CancellationToken cancellationToken, bool forUpgrade = false)
    {
        var keyring = OpenKeyring(keyringPath, context);
        var location = LakeLocation.Parse(lakeUri);
        return await LakeStore.OpenAsync(new LakeOptions
        {
            Uri = lakeUri,
            KeyProvider = keyring,
            S3Client = location.Scheme == "s3" ? NewS3Client() : null,
            Time = context.Time,
            ForUpgrade = forUpgrade,
        }, cancellationToken).ConfigureAwait(false);
    }

    public static LocalKeyring OpenKeyring(string keyringPath, CliContext context)
    {
        var full = Path.GetFullPath(keyringPath);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var opened = LocalKeyring.OpenOrCreate(full, Path.ChangeExtension(full, ".key"), context.Time);
        if (opened.Created)
        {
            context.Error.WriteLine($"keys: created a local keyring at {full} with a random master key in {opened.MasterKeyPath} (readable by its owner only).");
            context.Error.WriteLine("keys: keep both safe and backed up apart from the lake; 'fhirhouse keys --help' says how to use a passphrase, an HSM (PKCS#11) or a KMS instead.");
        }

        return opened.Keyring;
    }

    /// <summary>
    /// An S3 client from the standard AWS environment and profile; <c>AWS_ENDPOINT_URL_S3</c> or <c>AWS_ENDPOINT_URL</c>
    /// selects an S3-compatible endpoint. TLS follows the platform's rule: <c>AWS_CA_BUNDLE</c> names the CA certificates
    /// to trust instead of the system's, <c>FHIRHOUSE_S3_CLIENT_CERT</c>/<c>FHIRHOUSE_S3_CLIENT_KEY</c> a client
    /// certificate, and a plain http endpoint off loopback is refused unless <c>FHIRHOUSE_S3_ALLOW_INSECURE=1</c>.
    /// </summary>
    internal static AmazonS3Client NewS3Client()
    {
        var endpoint = Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_S3") ?? Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL");
        var tls = new TlsClientSettings
        {
            CaBundle = Variable("AWS_CA_BUNDLE"),
            ClientCertificate = Variable("FHIRHOUSE_S3_CLIENT_CERT"),
            ClientKey = Variable("FHIRHOUSE_S3_CLIENT_KEY"),
            AllowInsecure = Variable("FHIRHOUSE_S3_ALLOW_INSECURE") is "1" or "true",
        };
        var config = endpoint is { Length: > 0 } ? new AmazonS3Config { ServiceURL = endpoint, ForcePathStyle = true } : new AmazonS3Config();
        config.HttpClientFactory = new TlsHttpClientFactory(tls);
        if (endpoint is { Length: > 0 } && Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp)
        {
            tls.CheckPlain(uri.IdnHost, $"S3 endpoint {endpoint}", "set FHIRHOUSE_S3_ALLOW_INSECURE=1");
        }

        return new AmazonS3Client(config);
    }

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
