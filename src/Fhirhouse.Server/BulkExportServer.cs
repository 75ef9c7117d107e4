using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Fhirhouse.Governance.Audit;
using Fhirhouse.Governance.Enforcement;
using Fhirhouse.Governance.Identity;
using Fhirhouse.Lake.Bronze;
using Fhirhouse.Server.Auth;
using Fhirhouse.Server.Export;
using Fhirhouse.Server.Http;
using Fhirhouse.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fhirhouse.Server;

/// <summary>
/// A FHIR Bulk Data Access 2.0 export server over the lake: <c>[base]/$export</c>, <c>[base]/Patient/$export</c> and
/// <c>[base]/Group/[id]/$export</c> with the async request pattern, NDJSON files of the current resources in bronze,
/// <c>_type</c>, <c>_since</c> (with <c>deleted</c> output) and <c>_typeFilter</c>; optionally SMART Backend Services
/// authorization; optionally governed: each kick-off decided type by type by the policies for the client's role and
/// purpose (denied types refused, or left out when the request did not name them), each export audited. Jobs and their files are kept in the lake, so a restarted server still serves finished jobs and
/// resumes unfinished ones. Errors are OperationOutcomes with the HTTP status that fits.
/// </summary>
public sealed class BulkExportServer : IAsyncDisposable
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly WebApplication _app;
    private readonly ExportScheduler _scheduler;

    private BulkExportServer(WebApplication app, ExportScheduler scheduler, string baseUrl)
    {
        _app = app;
        _scheduler = scheduler;
        BaseUrl = baseUrl;
    }

    /// <summary>The FHIR base URL clients use (e.g. <c>http://127.0.0.1:41234/fhir</c>).</summary>
    public string BaseUrl { get; }

    /// <summary>Starts the server; it serves until disposed.</summary>
    public static async Task<BulkExportServer> StartAsync(BulkServerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var bronze = await BronzeTable.OpenAsync(options.Lake, new Delta.DeltaTableOptions { TimeProvider = options.Time }, cancellationToken).ConfigureAwait(false);
        var store = new ExportJobStore(options.Lake);
        var scheduler = new ExportScheduler(store, bronze, options);
        var tokens = options.Auth is { } auth ? new TokenIssuer(auth, options.Time) : null;

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(options.Url);
        if (options.Certificate is { } certificate)
        {
            builder.WebHost.UseKestrelHttpsConfiguration();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https =>
            {
                https.ServerCertificate = certificate;
                if (options.ClientCertificateAuthorities is { } authorities)
                {
                    https.ClientCertificateMode = Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode.RequireCertificate;
                    https.ClientCertificateValidation = (client, _, _) => ClientCertificateChains(client, authorities);
                }
            }));
        }

        var app = builder.Build();
        app.UseExceptionHandler(errors => errors.Run(async context =>
        {
            var failure = context.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>()?.Error;
            await ProblemMapping.WriteAsync(context, failure, options.RetryAfterSeconds).ConfigureAwait(false);
        }));
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (Exception failure) when (failure is not OperationCanceledException && !context.Response.HasStarted)
            {
                await ProblemMapping.WriteAsync(context, failure, options.RetryAfterSeconds).ConfigureAwait(false);
            }
        });
        options.BeforeEndpoints?.Invoke(app);
        var endpoints = new Endpoints(options, scheduler, store, tokens, bronze);
        endpoints.Map(app);

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var baseUrl = options.PublicBaseUrl is { } publicBase ? publicBase.AbsoluteUri.TrimEnd('/') : address.TrimEnd('/') + options.BasePath;
        endpoints.Ready(baseUrl);
        return new BulkExportServer(app, scheduler, baseUrl) { ListenUrl = address.TrimEnd('/') + options.BasePath };
    }

    /// <summary>The FHIR base URL on the address the server listens on (equal to <see cref="BaseUrl"/> without a public base URL).</summary>
    public string ListenUrl { get; private init; } = "";

    /// <summary>Whether a client certificate chains to one of <paramref name="authorities"/> (only those: not the system's roots) and is valid now, for client authentication.</summary>
    private static bool ClientCertificateChains(X509Certificate2 client, X509Certificate2Collection authorities)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.2"));
        return chain.Build(client);
    }

    public async ValueTask DisposeAsync()
    {
        // Stop taking requests first (running ones finish), then stop the export jobs (kept in the lake, resumed on the next start).
        await _app.StopAsync().ConfigureAwait(false);
        await _scheduler.DisposeAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The HTTP surface: kick-off, status, cancel, files, SMART configuration and token.</summary>
    private sealed class Endpoints(BulkServerOptions options, ExportScheduler scheduler, ExportJobStore store, TokenIssuer? tokens, BronzeTable bronze)
    {
        private string? _baseUrl;

        /// <summary>
        /// The FHIR base every URL the server gives out is built from (the configured public base URL, else the address
        /// it listens on): never a request's Host header, which a client chooses.
        /// </summary>
        private string BaseUrl => _baseUrl ?? throw new FhirProblemException(503, "transient", "The server is starting; try again.");

        /// <summary>Called once the server listens: from now on it answers readiness and builds URLs from <paramref name="baseUrl"/>.</summary>
        public void Ready(string baseUrl) => _baseUrl = baseUrl;

        public void Map(WebApplication app)
        {
            var b = options.BasePath;
            app.MapGet("/healthz", context => WriteTextAsync(context, StatusCodes.Status200OK, "ok"));
            app.MapGet("/readyz", context => _baseUrl is null
                ? WriteTextAsync(context, StatusCodes.Status503ServiceUnavailable, "starting")
                : WriteTextAsync(context, StatusCodes.Status200OK, "ready"));
            app.MapGet(b + "/$export", context => KickOffAsync(context, ExportLevel.System, null));
            app.MapGet(b + "/Patient/$export", context => KickOffAsync(context, ExportLevel.Patient, null));
            app.MapGet(b + "/Group/{id}/$export", context => KickOffAsync(context, ExportLevel.Group, (string)context.Request.RouteValues["id"]!));
            app.MapPost(b + "/{**rest}", _ => throw new FhirProblemException(405, "not-supported", "POST kick-off (a Parameters body) is not supported; kick off with GET and query parameters."));
            app.MapGet(b + "/_export/{id}", StatusAsync);
            app.MapDelete(b + "/_export/{id}", CancelAsync);
            app.MapGet(b + "/_export/{id}/files/{name}", FileAsync);
            app.MapGet(b + "/.well-known/smart-configuration", SmartConfigurationAsync);
            app.MapPost(b + "/auth/token", TokenAsync);
        }

        private static async Task WriteTextAsync(HttpContext context, int status, string text)
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(text, context.RequestAborted).ConfigureAwait(false);
        }

        private async Task<GrantedToken?> AuthorizeAsync(HttpContext context)
        {
            if (tokens is null)
            {
                return null;
            }

            var header = context.Request.Headers.Authorization.ToString();
            if (!header.StartsWith("Bearer ", StringComparison.Ordinal) || await tokens.FindAsync(header["Bearer ".Length..].Trim(), context.RequestAborted).ConfigureAwait(false) is not { } grant)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
                throw new FhirProblemException(401, "login", "A valid access token is required (SMART Backend Services: POST a client assertion to the token endpoint of .well-known/smart-configuration).");
            }

            return grant;
        }

        private async Task KickOffAsync(HttpContext context, ExportLevel level, string? groupId)
        {
            var grant = await AuthorizeAsync(context).ConfigureAwait(false);
            var request = ExportRequestParser.Parse(context.Request, level, groupId, BaseUrl + context.Request.Path.Value![options.BasePath.Length..] + context.Request.QueryString)
                with { Owner = grant?.ClientId };
            if (grant is not null && !grant.AllowsRead(request.Types))
            {
                throw new FhirProblemException(403, "forbidden", $"The access token's scopes ({string.Join(' ', grant.Scopes)}) do not allow reading {(request.Types is null ? "every type" : string.Join(", ", request.Types))}.");
            }

            if (options.Governance is { } governance)
            {
                var identity = grant is null ? options.Identity! : new AccessIdentity(grant.ClientId, grant.Role!, grant.Purpose!);
                request = await GovernAsync(governance, identity, request, context.RequestAborted).ConfigureAwait(false);
            }

            if (request.TypeFilters.Count > 0)
            {
                foreach (var filter in request.TypeFilters)
                {
                    TypeFilter.Parse(filter, request.Lenient ? _ => { } : null);
                }
            }

            var job = await scheduler.StartAsync(request, context.RequestAborted).ConfigureAwait(false);
            context.Response.StatusCode = 202;
            context.Response.Headers.ContentLocation = $"{BaseUrl}/_export/{job.Id}";
        }

        /// <summary>
        /// Decides each type for <paramref name="identity"/>: a request naming a denied type is refused (403, audited);
        /// without <c>_type</c> the denied types present in bronze are left out and said in the manifest's error output.
        /// </summary>
        private async Task<ExportRequest> GovernAsync(LakeGovernance governance, AccessIdentity identity, ExportRequest request, CancellationToken cancellationToken)
        {
            var types = request.Types ?? await TypesInBronzeAsync(cancellationToken).ConfigureAwait(false);
            var decisions = types.Select(t => (Type: t, Decision: governance.DecideExport(identity, t))).ToList();
            var denied = decisions.Where(d => !d.Decision.Allowed).ToList();
            if (denied.Count > 0 && (request.Types is not null || denied.Count == decisions.Count))
            {
                var reason = string.Join(" ", denied.Select(d => d.Decision.Reason));
                await governance.Audit.AppendAsync(new AuditEntry(identity.User, identity.Role, identity.Purpose, EntryPoints.ServerExport, request.RequestUrl,
                    types.Select(t => LakeGovernance.ExportTablePrefix + t).ToList(), 0, AuditOutcomes.Denied, reason), cancellationToken).ConfigureAwait(false);
                throw new FhirProblemException(403, "forbidden", $"Export refused for {identity}: {reason}");
            }

            return request with
            {
                Types = request.Types ?? decisions.Where(d => d.Decision.Allowed).Select(d => d.Type).ToList(),
                Identity = identity,
                LeftOut = request.Types is null && denied.Count > 0 ? denied.Select(d => d.Decision.Reason).ToList() : null,
            };
        }

        /// <summary>The resource types bronze holds, from the partition values in its log (no data read).</summary>
        private async Task<IReadOnlyList<string>> TypesInBronzeAsync(CancellationToken cancellationToken)
        {
            var snapshot = await bronze.Table.GetSnapshotAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return snapshot.Files.Select(f => f.PartitionValues.TryGetValue("resource_type", out var type) ? type : null)
                .OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        }

        /// <summary>
        /// With authorization on, a job's status, files and cancellation are served to the client that started it only,
        /// governed or not; a job no client owns (started while authorization was off) to none.
        /// </summary>
        private static bool Owns(GrantedToken? grant, ExportJob job) =>
            grant is null || string.Equals(job.Request.Owner ?? job.Request.Identity?.User, grant.ClientId, StringComparison.Ordinal);

        /// <summary>The token's scopes must still allow the types it reads (a newer token of the client may have fewer).</summary>
        private static void EnsureScopes(GrantedToken? grant, IReadOnlyList<string>? types)
        {
            if (grant is not null && !grant.AllowsRead(types))
            {
                throw new FhirProblemException(403, "forbidden", $"The access token's scopes ({string.Join(' ', grant.Scopes)}) do not allow reading {(types is null ? "every type" : string.Join(", ", types))}.");
            }
        }

        /// <summary>Under governance, a status poll or download is written to the audit log as the job's identity.</summary>
        private async Task AuditAsync(string entryPoint, HttpContext context, ExportJob job, IEnumerable<string> types, long rows)
        {
            if (options.Governance is { } governance && job.Request.Identity is { } who)
            {
                await governance.Audit.AppendAsync(
                    new AuditEntry(who.User, who.Role, who.Purpose, entryPoint, $"{BaseUrl}{context.Request.Path.Value![options.BasePath.Length..]}",
                        [.. types.Select(t => LakeGovernance.ExportTablePrefix + t).Distinct(StringComparer.Ordinal)], rows, AuditOutcomes.Ok, null),
                    context.RequestAborted).ConfigureAwait(false);
            }
        }

        private async Task StatusAsync(HttpContext context)
        {
            var grant = await AuthorizeAsync(context).ConfigureAwait(false);
            var id = (string)context.Request.RouteValues["id"]!;
            var found = await scheduler.FindAsync(id, context.RequestAborted).ConfigureAwait(false);
            if (found is not { } state || state.Job.Status == ExportJob.Cancelled || !Owns(grant, state.Job))
            {
                throw new FhirProblemException(404, "not-found", $"No export job '{id}' (never started, cancelled or deleted).");
            }

            var job = state.Job;
            EnsureScopes(grant, job.Request.Types);
            await AuditAsync(EntryPoints.ServerStatus, context, job, job.Files.Where(f => f.Kind == "output").Select(f => f.Type), 0).ConfigureAwait(false);
            switch (job.Status)
            {
                case ExportJob.InProgress:
                    context.Response.StatusCode = 202;
                    context.Response.Headers["X-Progress"] = state.Progress ?? "in progress";
                    context.Response.Headers.RetryAfter = options.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                    return;
                case ExportJob.Failed:
                    throw new FhirProblemException(500, "exception", $"Export job '{id}' failed: {job.Failure}");
            }

            var files = $"{BaseUrl}/_export/{id}/files/";
            object Outputs(string kind) => job.Files.Where(f => f.Kind == kind).Select(f => new { type = f.Type, url = files + f.Name, count = f.Count }).ToList();
            var manifest = new
            {
                transactionTime = job.TransactionTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
                request = job.Request.RequestUrl,
                requiresAccessToken = tokens is not null,
                output = Outputs("output"),
                deleted = Outputs("deleted"),
                error = Outputs("error"),
            };
            context.Response.StatusCode = 200;
            context.Response.Headers.Expires = job.TransactionTime.AddDays(7).ToString("R", CultureInfo.InvariantCulture);
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(JsonSerializer.Serialize(manifest, s_json), context.RequestAborted).ConfigureAwait(false);
        }

        private async Task CancelAsync(HttpContext context)
        {
            var grant = await AuthorizeAsync(context).ConfigureAwait(false);
            var id = (string)context.Request.RouteValues["id"]!;
            if (!ExportJobStore.IsJobId(id)
                || await store.LoadAsync(id, context.RequestAborted).ConfigureAwait(false) is not { } job || !Owns(grant, job)
                || !await scheduler.CancelAsync(id, context.RequestAborted).ConfigureAwait(false))
            {
                throw new FhirProblemException(404, "not-found", $"No export job '{id}' to cancel.");
            }

            context.Response.StatusCode = 202;
        }

        private async Task FileAsync(HttpContext context)
        {
            var grant = await AuthorizeAsync(context).ConfigureAwait(false);
            var id = (string)context.Request.RouteValues["id"]!;
            var name = (string)context.Request.RouteValues["name"]!;
            var job = ExportJobStore.IsJobId(id) ? await store.LoadAsync(id, context.RequestAborted).ConfigureAwait(false) : null;
            if (job is null || job.Status != ExportJob.Completed || job.Files.All(f => f.Name != name) || !Owns(grant, job))
            {
                throw new FhirProblemException(404, "not-found", $"No file '{name}' in export job '{id}'.");
            }

            var file = job.Files.First(f => f.Name == name);
            // An output file holds one type; the deleted and error files speak of the job's types.
            IReadOnlyList<string>? types = file.Kind == "output" ? [file.Type] : job.Request.Types;
            EnsureScopes(grant, types);
            await AuditAsync(EntryPoints.ServerDownload, context, job, types ?? [], file.Count).ConfigureAwait(false);
            await using var content = await store.Lake.OpenReadAsync(ExportJobStore.FileKey(id, name), context.RequestAborted).ConfigureAwait(false);
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/fhir+ndjson";
            context.Response.ContentLength = content.Length;
            await content.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
        }

        private async Task SmartConfigurationAsync(HttpContext context)
        {
            if (tokens is null)
            {
                throw new FhirProblemException(404, "not-found", "This server does not require authorization.");
            }

            var configuration = new Dictionary<string, object>(StringComparer.Ordinal)
            {
                ["token_endpoint"] = BaseUrl + "/auth/token",
                ["token_endpoint_auth_methods_supported"] = new[] { "private_key_jwt" },
                ["token_endpoint_auth_signing_alg_values_supported"] = new[] { "RS384", "ES384" },
                ["grant_types_supported"] = new[] { "client_credentials" },
                ["scopes_supported"] = new[] { "system/*.read", "system/*.rs" },
                ["capabilities"] = new[] { "client-confidential-asymmetric" },
            };
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(JsonSerializer.Serialize(configuration, s_json), context.RequestAborted).ConfigureAwait(false);
        }

        private async Task TokenAsync(HttpContext context)
        {
            if (tokens is null)
            {
                throw new FhirProblemException(404, "not-found", "This server does not require authorization.");
            }

            object body;
            try
            {
                var form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
                var fields = form.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
                var (token, grant) = await tokens.IssueAsync(fields, BaseUrl + "/auth/token", context.RequestAborted).ConfigureAwait(false);
                body = new Dictionary<string, object>(StringComparer.Ordinal)
                {
                    ["access_token"] = token,
                    ["token_type"] = "bearer",
                    ["expires_in"] = (long)options.Auth!.TokenLifetime.TotalSeconds,
                    ["scope"] = string.Join(' ', grant.Scopes),
                };
                context.Response.StatusCode = 200;
            }
            catch (TokenProblemException problem)
            {
                body = new Dictionary<string, object>(StringComparer.Ordinal) { ["error"] = problem.Error, ["error_description"] = problem.Message };
                context.Response.StatusCode = problem.Status;
            }
            catch (InvalidOperationException)
            {
                body = new Dictionary<string, object>(StringComparer.Ordinal) { ["error"] = "invalid_request", ["error_description"] = "The token request must be application/x-www-form-urlencoded." };
                context.Response.StatusCode = 400;
            }

            context.Response.Headers.CacheControl = "no-store";
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(JsonSerializer.Serialize(body, s_json), context.RequestAborted).ConfigureAwait(false);
        }
    }
}
