using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using Fhirhouse.Cli.Commands;
using Fhirhouse.Errors;
using Fhirhouse.Query;

namespace Fhirhouse.Cli;

/// <summary>
/// The fhirhouse command line. Exceptions become exit codes and messages here and only here (<see cref="Describe"/>):
/// 2 when nothing was done because of usage or a bad value (a parse error, an <see cref="ArgumentException"/> from
/// option validation, a path that does not exist, a <see cref="FhirhouseException"/> of kind
/// <see cref="ErrorKind.Usage"/>), 1 for any failure while working. Every error is one line on standard error; the
/// stack trace follows only with <c>--verbose</c>.
/// </summary>
internal static class FhirhouseCli
{
    /// <summary>The global option that adds the stack trace to an error.</summary>
    public static Option<bool> Verbose { get; } = new("--verbose")
    {
        Description = "On an error, print the exception and its stack trace after the one-line message.",
        Recursive = true,
    };

    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand(
            "Fhirhouse: a clinical lakehouse. Collects FHIR, keeps it encrypted, makes it queryable.\n" +
            "Exit codes: 0 ok, 1 failure, 2 bad usage.");
        root.Options.Add(Verbose);
        root.Subcommands.Add(DemoCommand.Create(context));
        root.Subcommands.Add(GenerateCommand.Create(context));
        root.Subcommands.Add(IngestCommand.Create(context));
        root.Subcommands.Add(TableCommand.Create(context));
        root.Subcommands.Add(KeysCommand.Create(context));
        root.Subcommands.Add(LakeCommand.Create(context));
        root.Subcommands.Add(ViewsCommand.Create(context));
        root.Subcommands.Add(SqlCommand.Create(context));
        root.Subcommands.Add(AuditCommand.Create(context));
        root.Subcommands.Add(PoliciesCommand.Create(context));
        root.Subcommands.Add(ClientsCommand.Create(context));
        root.Subcommands.Add(NlpCommand.Create(context));
        root.Subcommands.Add(MlCommand.Create(context));
        root.Subcommands.Add(ForgetCommand.Create(context));
        root.Subcommands.Add(ResearchExportCommand.Create(context));
        root.Subcommands.Add(ServeCommand.Create(context));
        return root;
    }

    public static Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default) =>
        RunAsync(Build(context), args, context, cancellationToken);

    /// <summary>Runs <paramref name="args"/> against <paramref name="root"/> (the command of <see cref="Build"/>).</summary>
    internal static async Task<int> RunAsync(RootCommand root, string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await context.Error.WriteLineAsync($"error: {error.Message}").ConfigureAwait(false);
            }

            await context.Error.WriteLineAsync("Run 'fhirhouse --help' (or the command with --help) for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        try
        {
            var configuration = new InvocationConfiguration
            {
                Output = context.Out,
                Error = context.Error,
                EnableDefaultExceptionHandler = false,
            };
            return await parse.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            var (exit, message) = Describe(e);
            await context.Error.WriteLineAsync(message).ConfigureAwait(false);
            if (parse.GetValue(Verbose))
            {
                await context.Error.WriteLineAsync(e.ToString()).ConfigureAwait(false);
            }

            return exit;
        }
    }

    /// <summary>
    /// The exit code and the one line said for <paramref name="failure"/>. Messages of Fhirhouse errors name files,
    /// lines, tables and ids, never resource content; of the other exceptions only what cannot quote data is said.
    /// </summary>
    internal static (int Exit, string Message) Describe(Exception failure)
    {
        var e = failure is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : failure;
        return e switch
        {
            OperationCanceledException => (ExitCodes.Failure, "cancelled."),
            QueryException query => (ExitCodes.For(query.Kind), Line(query.MessageWithoutValues ?? query.Message, query)),
            FhirhouseException known => (ExitCodes.For(known.Kind), Line(known.Message, known)),
            ArgumentNullException => (ExitCodes.Failure, Unexpected(e)),
            ArgumentException argument => (ExitCodes.Usage, Line(argument.Message)),
            FileNotFoundException or DirectoryNotFoundException => (ExitCodes.Usage, Line(e.Message)),
            IOException io => (ExitCodes.Failure, Line(io.Message)),
            UnauthorizedAccessException denied => (ExitCodes.Failure, Line($"access denied by the system: {denied.Message}")),
            HttpRequestException http => (ExitCodes.Failure, Line($"HTTP request failed{(http.StatusCode is { } s ? $" with {(int)s}" : "")}: {http.Message}")),
            JsonException json => (ExitCodes.Failure, Line($"malformed JSON{Where(json)}")),
            ParquetSharp.ParquetException parquet => (ExitCodes.Failure, Line($"unreadable Parquet data: {parquet.Message}")),
            CryptographicException crypto => (ExitCodes.Failure, Line($"cryptographic failure: {crypto.Message}")),
            InvalidDataException or InvalidOperationException or NotSupportedException => (ExitCodes.Failure, Line(e.Message)),
            _ => (ExitCodes.Failure, Unexpected(e)),
        };
    }

    private static string Line(string message, FhirhouseException? error = null)
    {
        var text = message.ReplaceLineEndings(" ").Trim();
        return error is null ? $"error: {text}" : $"error: {text} [{error.Code}{(error.IsTransient ? ", transient: try again" : "")}]";
    }

    private static string Where(JsonException json) =>
        json.LineNumber is { } line ? $" at line {line + 1}, byte {json.BytePositionInLine + 1}{(json.Path is { Length: > 0 } path ? $" ({path})" : "")}" : "";

    /// <summary>An exception no rule knows: its type only, since its message may quote data.</summary>
    private static string Unexpected(Exception e) =>
        $"error: unexpected {e.GetType().FullName} (a bug: run again with --verbose for the details and report it).";
}
