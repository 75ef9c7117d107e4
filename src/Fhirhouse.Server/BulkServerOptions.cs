using System.Security.Cryptography.X509Certificates;
using Fhirhouse.Governance.Enforcement;
using Fhirhouse.Governance.Identity;
using Fhirhouse.Server.Auth;
using Fhirhouse.Storage;
using Microsoft.AspNetCore.Builder;

namespace Fhirhouse.Server;

/// <summary>How the Bulk Data export server runs. <see cref="Validate"/> names the bad setting.</summary>
public sealed record BulkServerOptions
{
    /// <summary>The lake whose bronze table is exported; export jobs and their files are kept in it too.</summary>
    public required IObjectStore Lake { get; init; }

    /// <summary>Where Kestrel listens; port 0 picks a free port (see <see cref="BulkExportServer.BaseUrl"/>).</summary>
    public string Url { get; init; } = "http://127.0.0.1:0";

    /// <summary>
    /// The certificate HTTPS is served with (its private key included); required when <see cref="Url"/> is <c>https</c>,
    /// refused when it is not.
    /// </summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>
    /// Mutual TLS: the CA certificates a client's certificate must chain to. Set, every connection must present a valid
    /// client certificate issued by one of them (refused in the TLS handshake otherwise); HTTPS only. Null: no client
    /// certificate is asked for.
    /// </summary>
    public X509Certificate2Collection? ClientCertificateAuthorities { get; init; }

    /// <summary>
    /// The FHIR base URL as clients reach it (<c>https://fhir.hospital.example/fhir</c>, behind a proxy): the token
    /// audience, <c>Content-Location</c>, the manifest's request and file URLs are built from it, never from a request's
    /// <c>Host</c> header. Null: the address the server listens on, plus <see cref="BasePath"/>.
    /// </summary>
    public Uri? PublicBaseUrl { get; init; }

    /// <summary>The path of the FHIR base under the host (default <c>/fhir</c>).</summary>
    public string BasePath { get; init; } = "/fhir";

    /// <summary>Seconds a client is told to wait between status polls (<c>Retry-After</c>).</summary>
    public int RetryAfterSeconds { get; init; } = 2;

    /// <summary>Resources per NDJSON output file; a type with more is split in several files.</summary>
    public int ResourcesPerFile { get; init; } = 10_000;

    /// <summary>SMART Backend Services authorization; null serves without authorization.</summary>
    public SmartAuthOptions? Auth { get; init; }

    /// <summary>
    /// Access control and audit: each kick-off is decided type by type by the policies (policy tables <c>export.TYPE</c>)
    /// for the identity of the token's client registration (or <see cref="Identity"/> without authorization), and each
    /// export is written to the audit log. Null serves every type the scopes allow, unaudited.
    /// </summary>
    public LakeGovernance? Governance { get; init; }

    /// <summary>The identity exports run as when the server has no authorization (<see cref="Auth"/> null) but governs access.</summary>
    public AccessIdentity? Identity { get; init; }

    /// <summary>Clock for transaction times, token lifetimes and assertion expiry.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Middleware placed before the endpoints (request logging, a test's fault injection).</summary>
    public Action<IApplicationBuilder>? BeforeEndpoints { get; init; }

    /// <summary>Called before each resource type is exported (with the job id and type); lets a test hold a job in progress.</summary>
    public Func<string, string, CancellationToken, Task>? BeforeType { get; init; }

    public BulkServerOptions Validate()
    {
        if (RetryAfterSeconds < 0)
        {
            throw new ArgumentException($"RetryAfterSeconds must be 0 or more (got {RetryAfterSeconds}).");
        }

        if (ResourcesPerFile < 1)
        {
            throw new ArgumentException($"ResourcesPerFile must be at least 1 (got {ResourcesPerFile}).");
        }

        if (!BasePath.StartsWith('/') || BasePath.EndsWith('/'))
        {
            throw new ArgumentException($"BasePath must start with '/' and not end with one (got '{BasePath}').");
        }

        if (!Uri.TryCreate(Url, UriKind.Absolute, out var listen) || listen.Scheme is not ("http" or "https"))
        {
            throw new ArgumentException($"Url must be an absolute http:// or https:// address to listen on (got '{Url}').");
        }

        if (listen.Scheme == "https" && Certificate is null)
        {
            throw new ArgumentException($"Url '{Url}' is https: give the Certificate to serve it with.");
        }

        if (listen.Scheme == "http" && Certificate is not null)
        {
            throw new ArgumentException($"A Certificate is given but Url '{Url}' is plain http: listen on https://.");
        }

        if (Certificate is { HasPrivateKey: false })
        {
            throw new ArgumentException("The Certificate has no private key: HTTPS needs the certificate with its key.");
        }

        if (PublicBaseUrl is { } publicBase && (!publicBase.IsAbsoluteUri || publicBase.Scheme is not ("http" or "https") || !string.IsNullOrEmpty(publicBase.Query) || !string.IsNullOrEmpty(publicBase.Fragment)))
        {
            throw new ArgumentException($"PublicBaseUrl must be an absolute http(s) URL without query or fragment (got '{publicBase}').");
        }

        if (ClientCertificateAuthorities is { Count: 0 })
        {
            throw new ArgumentException("ClientCertificateAuthorities is empty: give the CA certificates of the clients, or null for no mutual TLS.");
        }

        if (ClientCertificateAuthorities is not null && Certificate is null)
        {
            throw new ArgumentException("ClientCertificateAuthorities (mutual TLS) needs HTTPS: give a Certificate and an https Url.");
        }

        Auth?.Validate();
        if (Governance is not null && Auth is null && Identity is null)
        {
            throw new ArgumentException("Governance without Auth needs an Identity to export as (or turn SMART authorization on: client registrations carry role and purpose).");
        }

        if (Governance is not null && Auth is not null && Auth.Clients.FirstOrDefault(c => c.Role is null || c.Purpose is null) is { } client)
        {
            throw new ArgumentException($"Auth.Clients: client '{client.ClientId}' has no Role or Purpose; under governance every client registration names the role and purpose it reads as.");
        }

        return this;
    }
}
