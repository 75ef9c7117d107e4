using System.CommandLine;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Fhirhouse.Errors;
using Fhirhouse.Server;
using Fhirhouse.Server.Auth;

namespace Fhirhouse.Cli.Commands;

/// <summary>
/// <c>fhirhouse serve</c>: the FHIR Bulk Data server over the lake (<see cref="BulkExportServer"/>), over HTTPS by
/// default, governed by the lake's policies and audited, until Ctrl+C or SIGTERM (then it stops taking requests, lets
/// running ones finish and suspends export jobs, which the next start resumes). Prints the FHIR base URL on standard
/// output once it listens; <c>/healthz</c> and <c>/readyz</c> answer beside it.
/// </summary>
internal static class ServeCommand
{
    public static Command Create(CliContext context)
    {
        var lake = new LakeOptionSet();
        var governance = new GovernanceOptionSet();
        var listen = new Option<string>("--listen")
        {
            Description = "The address to listen on: https://HOST:PORT (port 0 picks a free one). Plain http:// only on loopback, or with --allow-insecure.",
            DefaultValueFactory = _ => "https://127.0.0.1:8443",
        };
        var certificate = new Option<string?>("--cert") { Description = "The server certificate (PEM) for HTTPS; without it, a self-signed development certificate on loopback only." };
        var key = new Option<string?>("--key") { Description = "The certificate's private key (PEM); default: the key inside the --cert file." };
        var publicUrl = new Option<string?>("--public-url")
        {
            Description = "The FHIR base URL as clients reach it (https://fhir.hospital.example/fhir, behind a proxy): token audience and every URL the server gives out are built from it, never from the Host header. Default: the listen address + /fhir.",
        };
        var clientCa = new Option<string?>("--client-ca") { Description = "Mutual TLS: a PEM file of the CA certificates clients' certificates must chain to; every connection must then present one." };
        var allowInsecure = new Option<bool>("--allow-insecure") { Description = "Allow plain http:// on a non-loopback address (the lake's data would cross the network unencrypted)." };
        var command = new Command("serve", "Serve the lake as a FHIR Bulk Data server over HTTPS (governed, audited) until Ctrl+C or SIGTERM.");
        lake.AddTo(command);
        command.Options.Add(listen);
        command.Options.Add(certificate);
        command.Options.Add(key);
        command.Options.Add(publicUrl);
        command.Options.Add(clientCa);
        command.Options.Add(allowInsecure);
        governance.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var address = ParseListen(parse.GetValue(listen)!);
            var loopback = IsLoopback(address);
            var https = address.Scheme == Uri.UriSchemeHttps;
            if (!https && !loopback && !parse.GetValue(allowInsecure))
            {
                throw Usage($"--listen {address}: plain http on a network address would send the lake's data unencrypted; listen on https:// (with --cert), or give --allow-insecure.");
            }

            if (!loopback && https && parse.GetValue(certificate) is null)
            {
                throw Usage($"--listen {address}: a network address needs a real certificate (--cert and --key); the development certificate is for loopback only.");
            }

            Uri? publicBase = null;
            if (parse.GetValue(publicUrl) is { } text && (!Uri.TryCreate(text, UriKind.Absolute, out publicBase) || publicBase.Scheme is not ("http" or "https")))
            {
                throw Usage($"--public-url '{text}' is not an absolute http(s) URL.");
            }

            var identity = governance.Identity(parse);
            X509Certificate2? serverCertificate = null;
            if (https)
            {
                serverCertificate = LoadCertificate(parse.GetValue(certificate), parse.GetValue(key), parse.GetValue(lake.Keyring)!, context);
            }
            else if (parse.GetValue(certificate) is not null)
            {
                throw Usage($"--cert is given but --listen {address} is plain http: listen on https://.");
            }

            using var owned = serverCertificate;
            X509Certificate2Collection? clientAuthorities = null;
            if (parse.GetValue(clientCa) is { } caFile)
            {
                clientAuthorities = !https
                    ? throw Usage($"--client-ca needs HTTPS: listen on https:// (mutual TLS is a TLS feature).")
                    : new Storage.Transport.TlsClientSettings { CaBundle = caFile }.TrustedRoots();
            }

            var store = await lake.OpenAsync(parse, context, cancellationToken).ConfigureAwait(false);
            var policies = await governance.LoadPoliciesAsync(parse, store, identity, context, cancellationToken).ConfigureAwait(false);
            var governed = await GovernanceOptionSet.OpenAsync(store, parse.GetValue(lake.Keyring)!, policies, context, cancellationToken).ConfigureAwait(false);
            var clients = await LakeClientRegistry.OpenAsync(store.Objects, context.Time, cancellationToken).ConfigureAwait(false);
            if (!loopback && clients.Count == 0)
            {
                // Without registered clients the server reads as the operator: safe only where no one else can connect.
                throw Usage($"--listen {address}: a network address needs registered clients (SMART Backend Services: 'fhirhouse clients add'); without any, 'serve' reads as you and listens on loopback only (127.0.0.1, ::1, localhost).");
            }

            var server = await BulkExportServer.StartAsync(
                new BulkServerOptions
                {
                    Lake = store.Objects,
                    Url = address.GetLeftPart(UriPartial.Authority),
                    Certificate = serverCertificate,
                    ClientCertificateAuthorities = clientAuthorities,
                    PublicBaseUrl = publicBase,
                    Governance = governed,
                    Auth = clients.Count > 0 ? new SmartAuthOptions { Registry = clients } : null,
                    Identity = clients.Count > 0 ? null : identity,
                    Time = context.Time,
                },
                cancellationToken).ConfigureAwait(false);
            await using (server.ConfigureAwait(false))
            {
                context.Out.WriteLine(server.BaseUrl);
                await context.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
                var readers = clients.Count > 0
                    ? $"{clients.Count} registered clients (SMART Backend Services, token endpoint {server.BaseUrl}/auth/token), each reading as its registered role and purpose"
                    : $"no registered client: reading as {identity.Role}/{identity.Purpose}";
                context.Error.WriteLine($"serve: FHIR Bulk Data at {server.BaseUrl} (listening on {server.ListenUrl}; health /healthz, readiness /readyz), {readers}; Ctrl+C or SIGTERM stops it");
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    context.Error.WriteLine("serve: stopping (running requests finish, export jobs are suspended and resume on the next start)");
                }
            }

            context.Error.WriteLine("serve: stopped");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Uri ParseListen(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https") || address.AbsolutePath != "/" || address.Query.Length > 0)
        {
            throw Usage($"--listen '{text}' is not an address to listen on: give https://HOST:PORT (or http:// on loopback).");
        }

        return address;
    }

    /// <summary>True for 127.0.0.0/8, ::1 and localhost.</summary>
    internal static bool IsLoopback(Uri address) => address.IsLoopback || Storage.Transport.TlsClientSettings.IsLoopback(address.IdnHost);

    private static X509Certificate2 LoadCertificate(string? certificatePath, string? keyPath, string keyring, CliContext context)
    {
        if (certificatePath is null)
        {
            if (keyPath is not null)
            {
                throw Usage("--key is given without --cert.");
            }

            var folder = Path.GetDirectoryName(Path.GetFullPath(keyring))!;
            var development = DevelopmentCertificate.LoadOrCreate(folder, context.Time, out var path, out var created);
            context.Error.WriteLine(
                $"serve: HTTPS with a self-signed development certificate for loopback only ({(created ? "made now" : "made earlier")}: {path}, " +
                $"SHA-256 {development.GetCertHashString(HashAlgorithmName.SHA256)[..16]}...); clients trust it by that file (curl --cacert {path}). Give --cert and --key for a real one.");
            return development;
        }

        foreach (var file in new[] { certificatePath, keyPath })
        {
            if (file is not null && !File.Exists(file))
            {
                throw Usage($"{file}: no such file.");
            }
        }

        try
        {
            var loaded = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            return loaded.HasPrivateKey ? loaded : throw Usage($"{certificatePath}: the certificate has no private key; give --key.");
        }
        catch (CryptographicException e)
        {
            throw Usage($"{certificatePath}{(keyPath is null ? "" : " / " + keyPath)}: not a PEM certificate with its private key ({e.Message}).", e);
        }
    }

    private static FhirhouseException Usage(string message, Exception? inner = null) => new(ErrorCodes.InvalidValue, ErrorKind.Usage, message, inner);
}
