using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Fhirhouse.Lake.Landing;
using Fhirhouse.Ingest.Sources.Bulk;

namespace Fhirhouse.Cli.Commands;

/// <summary>
/// <c>fhirhouse ingest bulk URL</c>: runs a FHIR Bulk Data export on a server and lands it in the lake; a run after an
/// interruption resumes the same export.
/// </summary>
internal static class IngestBulkCommand
{
    public static Command Create(CliContext context)
    {
        var lake = new LakeOptionSet();
        var tls = new TlsClientOptionSet();
        var url = new Argument<string>("url") { Description = "The FHIR server's base URL (e.g. https://ehr.example.org/fhir)." };
        var types = new Option<string[]>("--type") { Description = "_type: resource types to export (repeat or comma-separate); default all.", AllowMultipleArgumentsPerToken = true };
        var since = new Option<string?>("--since") { Description = "_since: only resources changed or deleted at or after this instant (e.g. 2025-01-01T00:00:00Z)." };
        var group = new Option<string?>("--group") { Description = "Export the patients of this Group (Group/ID/$export)." };
        var patient = new Option<bool>("--patient") { Description = "Export every patient's compartment (Patient/$export)." };
        var typeFilters = new Option<string[]>("--type-filter") { Description = "_typeFilter queries, e.g. 'Observation?status=final' (repeatable)." };
        var clientId = new Option<string?>("--client-id") { Description = "SMART Backend Services client id (with --private-key)." };
        var privateKey = new Option<string?>("--private-key") { Description = "PEM file of the client's private key (RSA for RS384, EC P-384 for ES384)." };
        var tokenUrl = new Option<string?>("--token-url") { Description = "The token endpoint (default: discovered from [base]/.well-known/smart-configuration)." };
        var scope = new Option<string>("--scope") { Description = "Scopes to ask for.", DefaultValueFactory = _ => "system/*.read" };
        var parallel = new Option<int>("--parallel") { Description = "Files downloaded at once.", DefaultValueFactory = _ => 4 };
        var retries = new Option<int>("--retries") { Description = "How many times a failed request is tried again (429, 5xx, dropped connections; a refused TLS certificate never is).", DefaultValueFactory = _ => 6 };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON." };
        var command = new Command("bulk", "Export from a FHIR Bulk Data server (system, Patient or Group) into the lake; resumable, SMART Backend Services auth.");
        command.Arguments.Add(url);
        lake.AddTo(command);
        tls.AddTo(command);
        foreach (var option in new Option[] { types, since, group, patient, typeFilters, clientId, privateKey, tokenUrl, scope, parallel, retries, json })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(group) is not null && parse.GetValue(patient))
            {
                context.Error.WriteLine("ingest bulk: --group and --patient exclude each other.");
                return ExitCodes.Usage;
            }

            if ((parse.GetValue(clientId) is null) != (parse.GetValue(privateKey) is null))
            {
                context.Error.WriteLine("ingest bulk: --client-id and --private-key go together.");
                return ExitCodes.Usage;
            }

            DateTimeOffset? sinceValue = null;
            if (parse.GetValue(since) is { } text)
            {
                if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                {
                    context.Error.WriteLine($"ingest bulk: --since '{text}' is not an instant (e.g. 2025-01-01T00:00:00Z).");
                    return ExitCodes.Usage;
                }

                sinceValue = parsed;
            }

            if (!Uri.TryCreate(parse.GetValue(url), UriKind.Absolute, out var baseUrl))
            {
                context.Error.WriteLine($"ingest bulk: '{parse.GetValue(url)}' is not an absolute URL.");
                return ExitCodes.Usage;
            }

            var options = new BulkExportOptions
            {
                BaseUrl = baseUrl,
                Level = parse.GetValue(group) is not null ? BulkExportLevel.Group : parse.GetValue(patient) ? BulkExportLevel.Patient : BulkExportLevel.System,
                GroupId = parse.GetValue(group),
                Types = (parse.GetValue(types) ?? []).SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList(),
                Since = sinceValue,
                TypeFilters = parse.GetValue(typeFilters) ?? [],
                Parallelism = parse.GetValue(parallel),
                MaxRetries = parse.GetValue(retries),
                Time = context.Time,
                Credentials = parse.GetValue(clientId) is { } id
                    ? new SmartBackendCredentials(id, await File.ReadAllTextAsync(parse.GetValue(privateKey)!, cancellationToken).ConfigureAwait(false))
                    {
                        TokenUrl = parse.GetValue(tokenUrl) is { } token ? new Uri(token) : null,
                        Scope = parse.GetValue(scope)!,
                    }
                    : null,
            };

            using var http = tls.Create(parse, options.BaseUrl, TimeSpan.FromMinutes(10));
            var store = await lake.OpenAsync(parse, context, cancellationToken, create: true).ConfigureAwait(false);
            var ingestor = await PayloadIngestor.OpenAsync(store.Objects, new IngestOptions { Time = context.Time }, cancellationToken).ConfigureAwait(false);
            using var client = new BulkExportClient(http, store.Objects, ingestor, options);
            var result = await client.RunAsync(new SynchronousProgress<string>(m => context.Error.WriteLine("ingest bulk: " + m)), cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    statusUrl = result.StatusUrl,
                    resumed = result.Resumed,
                    transactionTime = result.TransactionTime,
                    files = result.Files.Count,
                    resources = result.Summary.Resources,
                    deleted = result.Summary.Deleted,
                    quarantined = result.Summary.Quarantined,
                    serverErrors = result.ServerErrors,
                    retries = client.Retries,
                }, new JsonSerializerOptions { WriteIndented = true }));
            }
            else
            {
                context.Out.WriteLine($"Export {result.StatusUrl} ({(result.Resumed ? "resumed" : "new")}, transaction time {result.TransactionTime})");
                IngestCommand.WriteText(context.Out, result.Summary);
                context.Out.WriteLine($"Errors reported by the server: {result.ServerErrors}; requests retried: {client.Retries}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
