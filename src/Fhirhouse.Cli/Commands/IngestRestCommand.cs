using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Fhirhouse.Lake.Landing;
using Fhirhouse.Ingest.Sources.Rest;

namespace Fhirhouse.Cli.Commands;

/// <summary><c>fhirhouse ingest rest URL</c>: incremental sync from a FHIR REST server, keeping a high-water mark per type in the lake.</summary>
internal static class IngestRestCommand
{
    /// <summary>The environment variable read for a SMART access token when <c>--token</c> is not given.</summary>
    public const string TokenVariable = "FHIRHOUSE_FHIR_TOKEN";

    public static Command Create(CliContext context)
    {
        var lake = new LakeOptionSet();
        var tls = new TlsClientOptionSet();
        var url = new Argument<string>("url") { Description = "The FHIR server's base URL, e.g. https://fhir.example.org/r4." };
        var types = new Option<string>("--type") { Description = "Resource types to sync, comma-separated (Patient,Observation,...).", Required = true };
        var since = new Option<string?>("--since") { Description = "Start here (an instant, e.g. 2024-01-01T00:00:00Z) when a type has no high-water mark yet; a later mark wins." };
        var history = new Option<bool>("--history") { Description = "Read [base]/[type]/_history instead of searching, so that deletions arrive too." };
        var count = new Option<int>("--count") { Description = "Page size asked (_count).", DefaultValueFactory = _ => 100 };
        var token = new Option<string?>("--token") { Description = $"SMART access token sent as a bearer token (default: ${TokenVariable})." };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON." };
        var command = new Command("rest", "Incremental sync from a FHIR REST server: _lastUpdated search (or _history) paged through next links, each page landed once, the high-water mark advanced after the commit.");
        command.Arguments.Add(url);
        lake.AddTo(command);
        tls.AddTo(command);
        foreach (var option in new Option[] { types, since, history, count, token, json })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            DateTimeOffset? from = null;
            if (parse.GetValue(since) is { } text)
            {
                from = DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)
                    ? instant
                    : throw new ArgumentException($"--since '{text}' is not an instant (e.g. 2024-01-01T00:00:00Z).");
            }

            var options = new RestSyncOptions
            {
                BaseUrl = Uri.TryCreate(parse.GetValue(url), UriKind.Absolute, out var baseUrl) ? baseUrl : throw new ArgumentException($"'{parse.GetValue(url)}' is not an absolute FHIR base URL."),
                Types = parse.GetValue(types)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                Since = from,
                History = parse.GetValue(history),
                PageSize = parse.GetValue(count),
                BearerToken = parse.GetValue(token) ?? (Environment.GetEnvironmentVariable(TokenVariable) is { Length: > 0 } variable ? variable : null),
            }.Validate();
            using var http = tls.Create(parse, options.BaseUrl, TimeSpan.FromMinutes(5));
            var store = await lake.OpenAsync(parse, context, cancellationToken, create: true).ConfigureAwait(false);
            var ingestor = await PayloadIngestor.OpenAsync(store.Objects, new IngestOptions { Time = context.Time }, cancellationToken).ConfigureAwait(false);
            var summary = await new RestSyncClient(store.Objects, ingestor, http, options).SyncAsync(
                new SynchronousProgress<PayloadResult>(r => context.Error.WriteLine($"ingest: {r.Location}: {(r.AlreadyIngested ? "already ingested" : $"{r.Resources} resources, {r.Quarantined} quarantined")}")),
                cancellationToken).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(JsonSerializer.Serialize(new { pages = summary.Payloads.Count, alreadyIngested = summary.AlreadyIngested, resources = summary.Resources, deleted = summary.Deleted, quarantined = summary.Quarantined }));
            }
            else
            {
                IngestCommand.WriteText(context.Out, summary);
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
